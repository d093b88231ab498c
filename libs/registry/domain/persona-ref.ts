import { isUuid } from '@personae/contracts';
import { refuse, type Outcome } from './lifecycle';

/** A persona name: the pack schema's slug. Dots and "@" never occur in one, so refs parse unambiguously. */
export const PERSONA_NAME = /^[a-z][a-z0-9_-]{1,62}$/;
/** A channel name: dev, prod, or a custom lowercase name such as canary or eu-prod. */
export const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** The schema's upper bound for metadata.version. */
export const MAX_VERSION = 999_999;

/** What `GET /v1/resolve/{ref}` accepts: a sealed version `name.vN` or a channel `name@channel`. */
export type PersonaRef =
  { kind: 'version'; name: string; version: number } | { kind: 'channel'; name: string; channel: string };

const VERSION_REF = /^([a-z][a-z0-9_-]{1,62})\.v([1-9][0-9]{0,5})$/;
const CHANNEL_REF = /^([a-z][a-z0-9_-]{1,62})@([a-z][a-z0-9-]{0,31})$/;

export function parsePersonaRef(text: string): Outcome<PersonaRef> {
  const version = VERSION_REF.exec(text);
  if (version)
    return { ok: true, value: { kind: 'version', name: version[1]!, version: Number(version[2]) } };
  const channel = CHANNEL_REF.exec(text);
  if (channel) return { ok: true, value: { kind: 'channel', name: channel[1]!, channel: channel[2]! } };
  return refuse(
    `"${text}" is not a persona ref: use name.vN (e.g. helper.v3) or name@channel (e.g. helper@prod)`,
    'input',
  );
}

export function versionRef(name: string, version: number): string {
  return `${name}.v${version}`;
}

export function channelRef(name: string, channel: string): string {
  return `${name}@${channel}`;
}

/** One side of a diff: a sealed version (`v2`, `2`) or a draft (`draft:<uuid>`). */
export type DiffSide = { kind: 'version'; version: number } | { kind: 'draft'; id: string };

export function parseDiffSide(text: string): Outcome<DiffSide> {
  const version = /^v?([1-9][0-9]{0,5})$/.exec(text);
  if (version) return { ok: true, value: { kind: 'version', version: Number(version[1]) } };
  if (text.startsWith('draft:') && isUuid(text.slice('draft:'.length)))
    return { ok: true, value: { kind: 'draft', id: text.slice('draft:'.length) } };
  return refuse(`"${text}" is neither a version (v2) nor a draft (draft:<id>)`, 'input');
}

/** A version number from a path segment (`3` or `v3`), or undefined. */
export function parseVersionNumber(text: string): number | undefined {
  const match = /^v?([1-9][0-9]{0,5})$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The number the next sealed version of a persona gets: one more than the highest ever sealed. */
export function nextVersionNumber(highestSealed: number | undefined): Outcome<number> {
  const next = (highestSealed ?? 0) + 1;
  if (next > MAX_VERSION) return refuse(`a persona has at most ${MAX_VERSION} versions`);
  return { ok: true, value: next };
}
