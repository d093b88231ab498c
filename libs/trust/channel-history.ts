/**
 * What a channel (dev, prod…) has served, so a resolver can refuse a silent downgrade: serving an
 * older version than the channel has already served is only allowed after an explicit rollback
 * record to exactly that version, made after the newer version was last served.
 */
export interface ChannelHistory {
  channel: string;
  /** Every version the channel has served, with when it started serving (any increasing clock). */
  served: ReadonlyArray<{ version: number; at: number }>;
  /** Explicit rollbacks: who moved the channel back to toVersion, and when (same clock as served). */
  rollbacks: ReadonlyArray<{ toVersion: number; at: number; by?: string; reason?: string }>;
}

/** Why serving `version` on this channel would be a silent downgrade, or undefined if it is not. */
export function downgradeProblem(history: ChannelHistory, version: number): string | undefined {
  let newer: { version: number; at: number } | undefined;
  for (const entry of history.served) {
    if (entry.version > version && (!newer || entry.at > newer.at)) newer = entry;
  }
  if (!newer) return undefined;
  const lastNewer = newer;
  const allowed = history.rollbacks.some((r) => r.toVersion === version && r.at > lastNewer.at);
  return allowed
    ? undefined
    : `${history.channel} served v${lastNewer.version} at ${lastNewer.at}; v${version} needs a rollback record after that`;
}
