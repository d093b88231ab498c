/** Text helpers shared by the synthesis steps: bounded, deterministic, no locale dependence. */

/** Collapses whitespace and trims; the form rules and examples are stored in. */
export function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const tidied = tidy(text);
  return tidied.length <= max ? tidied : `${tidied.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Keeps line breaks (examples are multi-line) but bounds the length. */
export function bound(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `${trimmed.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** The key two phrasings of one question share: lowercase, no punctuation, single spaces. */
export function questionKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Stable string comparison (no locale): what every sort in synthesis uses. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ids for provenance: unique, in first-seen order, at most `max` (the schema's bound). */
export function eventIds(ids: readonly string[], max = 200): string[] {
  return [...new Set(ids.filter((id) => id.length > 0))].slice(0, max);
}
