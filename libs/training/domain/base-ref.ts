import { allow, refuse, type Outcome } from './session-state';

/** A persona name (same rule as the pack's metadata.name). */
export const PERSONA_NAME = /^[a-z][a-z0-9_-]{1,62}$/;

export interface BaseRef {
  name: string;
  version: number;
  /** `name.vN` */
  ref: string;
}

/**
 * A session's base must be one exact sealed version, `name.vN`: a channel (`name@prod`) moves, and
 * the session's record must say which bytes the trainer started from.
 */
export function parseBaseRef(text: string): Outcome<BaseRef> {
  const match = /^([a-z][a-z0-9_-]{1,62})\.v([1-9][0-9]{0,5})$/.exec(text);
  if (!match)
    return refuse(
      'input',
      `basePersona must be a sealed version "name.vN" (e.g. biology_researcher.v3), got "${text}"`,
    );
  const name = match[1]!;
  const version = Number(match[2]);
  return allow({ name, version, ref: `${name}.v${version}` });
}
