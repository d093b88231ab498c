import type { PiiType } from '@personae/pack';
import { detectPii, redactPii } from '@personae/pii';
import type { PersonaFacts } from './persona-facts';

export interface ScannedText {
  /** The text as it may leave: redacted per the persona's settings. */
  text: string;
  /** Every kind found (whatever the redaction settings), for the decision's `piiFound`. */
  found: PiiType[];
}

/**
 * Scans a text for the decision and redacts it for the persona: detection covers every kind (a rule on
 * `piiFound: [credentials]` must see credentials even when the persona only redacts emails), redaction
 * follows the persona's `piiRedaction`.
 */
export function scanText(text: string, redaction: PersonaFacts['piiRedaction']): ScannedText {
  if (redaction.enabled && redaction.types === undefined) {
    const result = redactPii(text, { mode: redaction.mode });
    return { text: result.text, found: kinds(result.findings) };
  }
  const found = kinds(detectPii(text));
  if (!redaction.enabled || found.length === 0) return { text, found };
  return { text: redactPii(text, { mode: redaction.mode, types: redaction.types }).text, found };
}

function kinds(findings: readonly { type: PiiType }[]): PiiType[] {
  return [...new Set(findings.map((f) => f.type))].sort();
}
