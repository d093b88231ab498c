/**
 * Persona refs as the ledger indexes them: `name`, `name.vN` or `name@channel`. The audit service
 * parses them itself (it never imports the registry); the grammar is the registry's.
 */
export interface ParsedPersonaRef {
  name: string;
  /** Set for `name.vN`; a channel ref names no fixed version. */
  version: number | null;
  channel: string | null;
}

const REF = /^([a-z][a-z0-9_-]{1,62})(?:\.v([1-9][0-9]{0,5})|@([a-z][a-z0-9-]{0,31}))?$/;

export function parsePersonaRef(text: string): ParsedPersonaRef | undefined {
  const match = REF.exec(text);
  if (!match) return undefined;
  return {
    name: match[1]!,
    version: match[2] === undefined ? null : Number(match[2]),
    channel: match[3] ?? null,
  };
}
