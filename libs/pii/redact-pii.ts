import type { PiiRedactionMode } from '@personae/pack';
import { detectPii } from './detect-pii';
import type { PiiFinding, PiiType } from './pii-finding';
import { PseudonymTable } from './pseudonym-table';

export type { PiiRedactionMode };

export interface RedactPiiOptions {
  /** `mask`: `[EMAIL]`; `pseudonymize`: `[EMAIL_1]`, stable per table; `remove`: nothing. Default mask. */
  mode?: PiiRedactionMode;
  /** Redact only these types (all when absent). */
  types?: readonly PiiType[];
  /** The session's table for `pseudonymize`; a fresh one per call when absent. */
  pseudonyms?: PseudonymTable;
}

export interface RedactedText {
  text: string;
  /** Positions in the original text. */
  findings: PiiFinding[];
}

/** The placeholder `mask` writes for a type: `[EMAIL]`, `[CREDIT_CARD]`. */
export function maskFor(type: PiiType): string {
  return `[${type.toUpperCase()}]`;
}

/** Replaces already-found spans (sorted, non-overlapping) in `text`. */
export function applyRedaction(
  text: string,
  findings: readonly PiiFinding[],
  mode: PiiRedactionMode,
  pseudonyms?: PseudonymTable,
): string {
  if (findings.length === 0) return text;
  const table = mode === 'pseudonymize' ? (pseudonyms ?? new PseudonymTable()) : undefined;
  let result = '';
  let cursor = 0;
  for (const finding of findings) {
    result += text.slice(cursor, finding.start);
    if (table) result += table.pseudonymFor(finding.type, text.slice(finding.start, finding.end));
    else if (mode === 'mask') result += maskFor(finding.type);
    cursor = finding.end;
  }
  return result + text.slice(cursor);
}

/** Finds personal data in `text` and replaces it; the findings say what was replaced and where. */
export function redactPii(text: string, options: RedactPiiOptions = {}): RedactedText {
  const findings = detectPii(text, { types: options.types });
  return { text: applyRedaction(text, findings, options.mode ?? 'mask', options.pseudonyms), findings };
}
