import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { planRollback } from '../domain/channels';
import { versionRef } from '../domain/persona-ref';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { lockPersona } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { loadChannelFacts } from './channel-facts';
import { recordChannelMove } from './move-channel';
import type { ChannelRequest } from './promote-version.use-case';
import { allowed } from './refusals';

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
    const { name, channel, version, reason } = request;
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      await lockPersona(tables, name);
      const target = await tables.versions.get(
        { personaName: name, version },
        `version ${versionRef(name, version)}`,
      );
      const facts = await loadChannelFacts(tables, name, channel);
      const plan = allowed(planRollback(facts, target));
      await recordChannelMove(manager, this.lifecycle, principal, {
        name,
        channel,
        action: 'rollback',
        version,
        previous: plan.previous,
        reason,
      });
    });
  }
}
