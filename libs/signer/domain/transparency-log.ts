/** The log's name in checkpoints (the C2SP origin line) and what verifiers pin with its key. */
export const LOG_ORIGIN = 'log.personae.dev/v1';

/** Decimal without sign or leading zeros: how paths and queries carry indexes and sizes. */
const UINT = /^(0|[1-9][0-9]{0,15})$/;

export type QueryOutcome<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; reason: string };

/** A non-negative safe integer from a path or query string: undefined when absent, null when malformed. */
export function parseUint(text: string | undefined): number | undefined | null {
  if (text === undefined) return undefined;
  if (!UINT.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}

/** GET /log/entries/:index[?treeSize=]: the proof is against treeSize, default the latest size. */
export function entryQuery(
  index: string,
  treeSize: string | undefined,
  latestSize: number,
): QueryOutcome<{ index: number; treeSize: number }> {
  const i = parseUint(index);
  const size = parseUint(treeSize);
  if (i === null || i === undefined)
    return { ok: false, status: 400, reason: 'index must be a non-negative integer' };
  if (size === null) return { ok: false, status: 400, reason: 'treeSize must be a non-negative integer' };
  const proofSize = size ?? latestSize;
  if (proofSize > latestSize)
    return { ok: false, status: 400, reason: `treeSize ${proofSize} is beyond the log's size ${latestSize}` };
  if (i >= latestSize)
    return { ok: false, status: 404, reason: `no entry ${i}: the log holds ${latestSize}` };
  if (i >= proofSize)
    return { ok: false, status: 400, reason: `entry ${i} is not in a tree of size ${proofSize}` };
  return { ok: true, value: { index: i, treeSize: proofSize } };
}

/** GET /log/consistency?from=&to=: RFC 9162 PROOF(from, to), `to` defaulting to the latest size. */
export function consistencyQuery(
  from: string,
  to: string | undefined,
  latestSize: number,
): QueryOutcome<{ from: number; to: number }> {
  const first = parseUint(from);
  const second = parseUint(to);
  if (first === null || first === undefined)
    return { ok: false, status: 400, reason: 'from must be a non-negative integer' };
  if (second === null) return { ok: false, status: 400, reason: 'to must be a non-negative integer' };
  const last = second ?? latestSize;
  if (last > latestSize)
    return { ok: false, status: 400, reason: `to ${last} is beyond the log's size ${latestSize}` };
  if (first > last) return { ok: false, status: 400, reason: `from ${first} is larger than to ${last}` };
  return { ok: true, value: { from: first, to: last } };
}
