/** A runnable persona ref: a sealed version `name.vN` or a channel `name@channel` (the registry's grammar). */
export type RuntimeRef =
  | { kind: 'version'; text: string; name: string; version: number }
  | { kind: 'channel'; text: string; name: string; channel: string };

const VERSION_REF = /^([a-z][a-z0-9_-]{1,62})\.v([1-9][0-9]{0,5})$/;
const CHANNEL_REF = /^([a-z][a-z0-9_-]{1,62})@([a-z][a-z0-9-]{0,31})$/;

/** The ref, or undefined when the text is not one (the caller says why). */
export function parseRuntimeRef(text: string): RuntimeRef | undefined {
  const version = VERSION_REF.exec(text);
  if (version) return { kind: 'version', text, name: version[1]!, version: Number(version[2]) };
  const channel = CHANNEL_REF.exec(text);
  if (channel) return { kind: 'channel', text, name: channel[1]!, channel: channel[2]! };
  return undefined;
}

export const REF_HINT = 'use name.vN (e.g. helper.v3) or name@channel (e.g. helper@prod)';

export const versionRefOf = (name: string, version: number): string => `${name}.v${version}`;
