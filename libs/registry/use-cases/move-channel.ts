import type { Principal } from '@personae/auth';
import type { DataSource, EntityManager } from 'typeorm';
import type { ChannelAction, ChannelFacts, TargetVersion } from '../domain/channels';
import type { Outcome } from '../domain/lifecycle';
import { channelRef, versionRef } from '../domain/persona-ref';
import type { LifecyclePublisher } from '../events/lifecycle.publisher';
import { lockPersona } from '../store/locks';
import { registryTables } from '../store/registry-tables';
import { loadChannelFacts } from './channel-facts';
import { allowed } from './refusals';

export interface ChannelRequest {
  name: string;
  channel: string;
  version: number;
  reason: string;
}

/**
 * Promote and rollback share one shape — lock the persona, load the target and the channel, let
 * the domain plan the move, record it — and differ only in the plan.
 */
export function moveChannel(
  dataSource: DataSource,
  lifecycle: LifecyclePublisher,
  principal: Principal,
  request: ChannelRequest,
  action: ChannelAction,
  plan: (channel: ChannelFacts, target: TargetVersion) => Outcome<{ previous?: number }>,
): Promise<void> {
  const { name, channel, version, reason } = request;
  return dataSource.transaction(async (manager) => {
    const tables = registryTables(manager, principal);
    await lockPersona(tables, name);
    const target = await tables.versions.get(
      { personaName: name, version },
      `version ${versionRef(name, version)}`,
    );
    const facts = await loadChannelFacts(tables, name, channel);
    const { previous } = allowed(plan(facts, target));
    await recordChannelMove(manager, lifecycle, principal, {
      name,
      channel,
      action,
      version,
      previous,
      reason,
    });
  });
}

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
