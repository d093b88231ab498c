import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { listSessions, sessionAttachments, timelinePage, type SessionFilter } from '../store/session.store';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { attachmentView, sessionView, type SessionDetailView, type SessionView } from '../http/views';
import { sessionOf } from '../use-cases/refusals';

/** Reads: one session with (a page of) its timeline, and session lists by persona, trainer, state. */
@Injectable()
export class SessionQueries {
  constructor(@InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource) {}

  async detail(principal: Principal, id: string, after = 0, limit = 1000): Promise<SessionDetailView> {
    const db = this.dataSource.manager;
    const session = await sessionOf(db, principal, id);
    const [timeline, attachments] = await Promise.all([
      timelinePage(db, principal.tenantId, id, after, limit),
      sessionAttachments(db, principal.tenantId, id),
    ]);
    const last = timeline.at(-1)?.sequence ?? after;
    return {
      session: sessionView(session),
      timeline,
      ...(last < session.lastSequence && timeline.length > 0 ? { nextAfter: last } : {}),
      attachments: attachments.map(attachmentView),
    };
  }

  async list(
    principal: Principal,
    filter: SessionFilter,
  ): Promise<{ sessions: SessionView[]; next?: string }> {
    const rows = await listSessions(this.dataSource.manager, principal.tenantId, {
      ...filter,
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    return {
      sessions: page.map(sessionView),
      ...(rows.length > filter.limit ? { next: page.at(-1)!.id } : {}),
    };
  }
}
