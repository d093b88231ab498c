import type { ChannelHistory } from '@personae/trust';
import { applyVersionAction, refuse, type Outcome, type VersionState } from './lifecycle';

/** Every persona has these channels, empty until something is promoted; others are created on first use. */
export const DEFAULT_CHANNELS = ['dev', 'prod'] as const;

export type ChannelAction = 'promote' | 'rollback';

/** What a channel serves now and what it has ever served. */
export interface ChannelFacts {
  channel: string;
  current: number | undefined;
  served: readonly number[];
}

export interface TargetVersion {
  version: number;
  state: VersionState;
}

/**
 * Promotion only moves a channel forward. Moving it to an older version would look like a silent
 * downgrade to every verifier; that is what a rollback, with its record, is for.
 */
export function planPromotion(channel: ChannelFacts, target: TargetVersion): Outcome<{ previous?: number }> {
  const allowed = applyVersionAction(target.state, { kind: 'promote' });
  if (!allowed.ok) return allowed;
  const { current } = channel;
  if (current === target.version) return refuse(`${channel.channel} already serves v${target.version}`);
  if (current !== undefined && target.version < current)
    return refuse(
      `v${target.version} is older than v${current}, which ${channel.channel} serves: roll back instead, so the downgrade is on record`,
    );
  return { ok: true, value: current === undefined ? {} : { previous: current } };
}

/**
 * A rollback returns a channel to an earlier version it has already served: a known-good state, not an
 * untried one (that would be a promotion of an older version, which we refuse).
 */
export function planRollback(channel: ChannelFacts, target: TargetVersion): Outcome<{ previous: number }> {
  const { current } = channel;
  if (current === undefined)
    return refuse(`${channel.channel} serves nothing yet: there is nothing to roll back`);
  if (target.version >= current)
    return refuse(
      `a rollback goes to an earlier version than v${current}, which ${channel.channel} serves; use promote to move forward`,
    );
  if (!channel.served.includes(target.version))
    return refuse(
      `${channel.channel} never served v${target.version}; a rollback returns to a version it served`,
    );
  const allowed = applyVersionAction(target.state, { kind: 'rollback' });
  if (!allowed.ok) return allowed;
  return { ok: true, value: { previous: current } };
}

export interface ChannelRecord {
  /** Increasing sequence of the history table: the clock monotonicity checks compare. */
  seq: number;
  action: ChannelAction;
  version: number;
  by: string;
  reason: string;
}

/**
 * The channel's history in the shape `verifySealedPack` checks for silent downgrades: every version it
 * served (promotions and rollbacks alike), and the rollbacks as explicit records.
 */
export function channelHistoryOf(channel: string, records: readonly ChannelRecord[]): ChannelHistory {
  const ordered = [...records].sort((a, b) => a.seq - b.seq);
  return {
    channel,
    served: ordered.map((r) => ({ version: r.version, at: r.seq })),
    rollbacks: ordered
      .filter((r) => r.action === 'rollback')
      .map((r) => ({ toVersion: r.version, at: r.seq, by: r.by, reason: r.reason })),
  };
}
