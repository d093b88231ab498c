import type { PiiDetector } from './detectors/detector';
import { creditCardDetector } from './detectors/credit-card.detector';
import { credentialsDetector } from './detectors/credentials.detector';
import { dateOfBirthDetector } from './detectors/date-of-birth.detector';
import { emailDetector } from './detectors/email.detector';
import { ibanDetector } from './detectors/iban.detector';
import { ipAddressDetector } from './detectors/ip-address.detector';
import { nationalIdDetector } from './detectors/national-id.detector';
import { passportDetector } from './detectors/passport.detector';
import { personNameDetector } from './detectors/person-name.detector';
import { phoneDetector } from './detectors/phone.detector';
import { postalAddressDetector } from './detectors/postal-address.detector';
import type { PiiFinding, PiiType } from './pii-finding';

export interface DetectPiiOptions {
  /** Report only these types (all when absent). Unsupported types (`health`) are accepted and find nothing. */
  types?: readonly PiiType[];
}

/** Every detector, most specific first. */
export const PII_DETECTORS: readonly PiiDetector[] = [
  credentialsDetector,
  ibanDetector,
  creditCardDetector,
  emailDetector,
  nationalIdDetector,
  ipAddressDetector,
  dateOfBirthDetector,
  passportDetector,
  phoneDetector,
  postalAddressDetector,
  personNameDetector,
];

const PRIORITY = new Map<PiiType, number>(PII_DETECTORS.map((d) => [d.type, d.priority]));

function priorityOf(finding: PiiFinding): number {
  return PRIORITY.get(finding.type) ?? 0;
}

/**
 * Keeps one finding per stretch of text: the higher-priority type wins (the IBAN over the phone
 * number inside it, the credential over the email in `postgres://u:pw@host`), then the longer span.
 */
export function resolveOverlaps(candidates: PiiFinding[]): PiiFinding[] {
  if (candidates.length < 2) return candidates;
  const ranked = [...candidates].sort(
    (a, b) => priorityOf(b) - priorityOf(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PiiFinding[] = [];
  for (const candidate of ranked) {
    if (!kept.some((k) => candidate.start < k.end && k.start < candidate.end)) kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds personal data in `text`: type, subtype and position of each piece, never the text itself.
 * All detectors run even when `types` narrows the report, so an overlap is resolved the same way
 * whatever is asked for (a card number inside a private key is never reported as a card).
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiFinding[] {
  if (text.length === 0) return [];
  const candidates: PiiFinding[] = [];
  for (const detector of PII_DETECTORS) detector.detect(text, candidates);
  const findings = resolveOverlaps(candidates);
  const types = options.types;
  if (types === undefined) return findings;
  return findings.filter((f) => types.includes(f.type));
}
