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

/** The cue words of every detector in one case-insensitive alternation: one scan of the text for all. */
const KEYWORD_DETECTORS = PII_DETECTORS.filter((d) => d.keywords !== undefined && d.onKeyword !== undefined);
const KEYWORDS = new RegExp(KEYWORD_DETECTORS.map((d) => `(${d.keywords})`).join('|'), 'gi');

function scanKeywords(text: string, out: PiiFinding[]): void {
  KEYWORDS.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = KEYWORDS.exec(text)) !== null) {
    let group = 1;
    while (match[group] === undefined) group++;
    KEYWORD_DETECTORS[group - 1]!.onKeyword!(text, match.index, out);
  }
}

const DIGIT = /\d/;

const PRIORITY = new Map<PiiType, number>(PII_DETECTORS.map((d) => [d.type, d.priority]));

function priorityOf(finding: PiiFinding): number {
  return PRIORITY.get(finding.type) ?? 0;
}

function byRank(a: PiiFinding, b: PiiFinding): number {
  return priorityOf(b) - priorityOf(a) || b.end - b.start - (a.end - a.start) || a.start - b.start;
}

/**
 * Greedy by rank inside one cluster of overlapping candidates. Clusters are small in real text; a
 * large one (adversarial input: "John John John …") is resolved with a map of taken positions so the
 * cost stays linear in the text covered, not quadratic in the candidates.
 */
function resolveCluster(cluster: PiiFinding[], kept: PiiFinding[], from: number, to: number): void {
  if (cluster.length === 1) {
    kept.push(cluster[0]!);
    return;
  }
  const chosen: PiiFinding[] = [];
  const taken = cluster.length > 16 ? new Uint8Array(to - from) : undefined;
  for (const candidate of cluster.sort(byRank)) {
    if (taken) {
      let free = true;
      for (let i = candidate.start - from; i < candidate.end - from && free; i++) free = taken[i] === 0;
      if (!free) continue;
      taken.fill(1, candidate.start - from, candidate.end - from);
      chosen.push(candidate);
    } else if (!chosen.some((k) => candidate.start < k.end && k.start < candidate.end))
      chosen.push(candidate);
  }
  kept.push(...chosen.sort((a, b) => a.start - b.start));
}

/**
 * Keeps one finding per stretch of text: the higher-priority type wins (the IBAN over the phone
 * number inside it, the credential over the email in `postgres://u:pw@host`), then the longer span.
 * Sorted by start, then resolved cluster by cluster, so the cost stays n log n.
 */
export function resolveOverlaps(candidates: PiiFinding[]): PiiFinding[] {
  if (candidates.length < 2) return candidates;
  const sorted = candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: PiiFinding[] = [];
  let cluster: PiiFinding[] = [sorted[0]!];
  let clusterEnd = sorted[0]!.end;
  for (let i = 1; i < sorted.length; i++) {
    const candidate = sorted[i]!;
    if (candidate.start < clusterEnd) {
      cluster.push(candidate);
      if (candidate.end > clusterEnd) clusterEnd = candidate.end;
    } else {
      resolveCluster(cluster, kept, cluster[0]!.start, clusterEnd);
      cluster = [candidate];
      clusterEnd = candidate.end;
    }
  }
  resolveCluster(cluster, kept, cluster[0]!.start, clusterEnd);
  return kept;
}

/**
 * Finds personal data in `text`: type, subtype and position of each piece, never the text itself.
 * All detectors run even when `types` narrows the report, so an overlap is resolved the same way
 * whatever is asked for (a card number inside a private key is never reported as a card).
 */
export function detectPii(text: string, options: DetectPiiOptions = {}): PiiFinding[] {
  if (text.length === 0) return [];
  const candidates: PiiFinding[] = [];
  const hasDigit = DIGIT.test(text);
  for (const detector of PII_DETECTORS)
    if (hasDigit || detector.needsDigit !== true) detector.detect(text, candidates);
  scanKeywords(text, candidates);
  const findings = resolveOverlaps(candidates);
  const types = options.types;
  if (types === undefined) return findings;
  return findings.filter((f) => types.includes(f.type));
}

/** The distinct types of personal data in `text` (e.g. a policy decision's `context.piiFound`). */
export function piiTypesIn(text: string, options: DetectPiiOptions = {}): PiiType[] {
  return [...new Set(detectPii(text, options).map((f) => f.type))];
}
