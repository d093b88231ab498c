import type { Principal } from '@personae/auth';
import type { EntityManager } from 'typeorm';
import type { ChannelAction } from '../domain/channels';
import { channelRef } from '../domain/persona-ref';
import type { LifecyclePublisher } from '../events/lifecycle.publisher';
import { registryTables } from '../store/registry-tables';

export interface ChannelMove {
  name: string;
  channel: string;
  action: ChannelAction;
  version: number;
  previous: number | undefined;
  reason: string;
}

/** Points the channel at the version, records who/when/why and publishes it: one transaction. */
export async function recordChannelMove(
  manager: EntityManager,
  lifecycle: LifecyclePublisher,
  principal: Principal,
  move: ChannelMove,
): Promise<void> {
  const tables = registryTables(manager, principal);
  const at = new Date();
  const where = { personaName: move.name, channel: move.channel };
  if (move.previous === undefined)
    await tables.channels.insert({
      ...where,
      version: move.version,
      updatedBy: principal.subject,
      updatedAt: at,
    });
  else
    await tables.channels.update(where, {
      version: move.version,
      updatedBy: principal.subject,
      updatedAt: at,
    });
  await tables.channelMoves.insert({
    ...where,
    action: move.action,
    version: move.version,
    previousVersion: move.previous ?? null,
    by: principal.subject,
    reason: move.reason,
    at,
  });
  const value = {
    personaName: move.name,
    channel: move.channel,
    version: move.version,
    previousVersion: move.previous ?? 0,
    reason: move.reason,
  };
  await lifecycle.publish(
    manager,
    principal,
    { name: move.name, personaRef: channelRef(move.name, move.channel) },
    move.action === 'promote' ? { case: 'promoted', value } : { case: 'rolledBack', value },
  );
}
