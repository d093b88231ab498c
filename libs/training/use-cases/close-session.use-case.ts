import { ConflictException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { SessionArchiver, type StoredArchive } from '../archive/session-archiver';
import { canClose } from '../domain/session-state';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { markClosed, markClosing } from '../store/session.store';
import type { SessionRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed, sessionOf } from './refusals';

export interface ClosedSession {
  session: SessionRow;
  archive: StoredArchive;
  closedEvent: RecordedEvent;
}

/**
 * Closes a session: (1) mark it closing under its row lock — from then on nothing can be added; (2)
 * write the encrypted archive of everything recorded; (3) mark it closed with the `closed` event that
 * carries the archive's digest. A failure in (2) leaves it closing; closing again retries and, the
 * archive being deterministic, writes the same bytes.
 */
@Injectable()
export class CloseSessionUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly archiver: SessionArchiver,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(principal: Principal, sessionId: string, reason = ''): Promise<ClosedSession> {
    const closing = await this.dataSource.transaction(async (manager) => {
      const marked = await markClosing(manager, principal.tenantId, sessionId, new Date());
      if (marked) return marked;
      const current = await sessionOf(manager, principal, sessionId);
      return allowed(canClose(current.id, current.state)) as never;
    });
    const archive = await this.archiver.write(closing);
    return this.dataSource.transaction(async (manager) => {
      const session = await markClosed(manager, principal.tenantId, closing.id, {
        closedAt: new Date(),
        closedBy: principal.subject,
        reason,
        archiveKey: archive.key,
        archiveSha256: archive.sha256,
        archiveSize: archive.size,
      });
      // Another close finished first (same archive bytes): this one has nothing left to record.
      if (!session) throw new ConflictException(`session ${closing.id} is already closed`);
      const [closedEvent] = await this.recorder.record(manager, principal, session, session.lastSequence, [
        {
          topic: 'training.session',
          payload: (sequence) => ({
            event: {
              case: 'closed',
              value: {
                sessionId: session.id,
                trainerId: principal.subject,
                archiveRef: archive.key,
                archiveSha256: archive.sha256,
                archiveSizeBytes: BigInt(archive.size),
                eventCount: sequence,
                reason,
                sequence,
              },
            },
          }),
        },
      ]);
      return { session, archive, closedEvent: closedEvent! };
    });
  }
}
