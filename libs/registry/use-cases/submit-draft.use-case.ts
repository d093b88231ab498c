import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { REGISTRY_SCHEMA } from '../store/registry-tables';
import { transitionDraft } from './transition-draft';

/** draft | rejected → in_review: asks reviewers to look at it. */
@Injectable()
export class SubmitDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string): Promise<DraftEntity> {
    return transitionDraft(this.dataSource, this.lifecycle, principal, id, { kind: 'submit' }, (draft) => ({
      case: 'reviewRequested',
      value: { personaName: draft.personaName, draftId: id },
    }));
  }
}
