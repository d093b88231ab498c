import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { planPromotion } from '../domain/channels';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { REGISTRY_SCHEMA } from '../store/registry-tables';
import { moveChannel, type ChannelRequest } from './move-channel';

export type { ChannelRequest } from './move-channel';

/** Moves a channel forward to a newer sealed version. */
@Injectable()
export class PromoteVersion {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
  ) {}

  execute(principal: Principal, request: ChannelRequest): Promise<void> {
    return moveChannel(this.dataSource, this.lifecycle, principal, request, 'promote', planPromotion);
  }
}
