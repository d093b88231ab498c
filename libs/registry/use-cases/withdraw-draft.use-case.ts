import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { sha256Hex } from '../domain/digests';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import type { DraftEntity } from '../store/draft.entity';
import { REGISTRY_SCHEMA } from '../store/registry-tables';
import { transitionDraft } from './transition-draft';

/** in_review → draft, approvals voided; announced as `withdrawn`. */
@Injectable()
export class WithdrawDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, id: string): Promise<DraftEntity> {
    return transitionDraft(this.dataSource, this.lifecycle, principal, id, { kind: 'withdraw' }, (draft) => ({
      case: 'withdrawn',
      value: { personaName: draft.personaName, draftId: id, packSha256: sha256Hex(draft.packDigest) },
    }));
  }
}
