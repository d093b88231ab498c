import type { PiiFinding, PiiType } from '../pii-finding';

/**
 * A detector finds candidates with a fast pattern and keeps those its validator accepts
 * (checksum, number ranges, surrounding words). It appends to `out` rather than returning
 * arrays so a scan allocates little.
 */
export interface PiiDetector {
  readonly type: PiiType;
  /** Overlap resolution: the higher wins (a card number inside a credential is a credential). */
  readonly priority: number;
  detect(text: string, out: PiiFinding[]): void;
}
