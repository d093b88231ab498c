import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { planRollback } from '../domain/channels';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { REGISTRY_SCHEMA } from '../store/registry-tables';
import { moveChannel, type ChannelRequest } from './move-channel';

/**
 * Moves a channel back to an earlier version it served. The rollback record is what lets verifiers
 * accept the older version on this channel instead of refusing it as a silent downgrade.
 */
@Injectable()
export class RollbackChannel {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, request: ChannelRequest): Promise<void> {
    return moveChannel(this.dataSource, this.lifecycle, principal, request, 'rollback', planRollback);
  }
}
