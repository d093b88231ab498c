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
  /** True when every candidate contains a digit: skipped at no cost on text without any (most prose). */
  readonly needsDigit?: boolean;
  /** The candidates that are not found from a keyword. */
  detect(text: string, out: PiiFinding[]): void;
  /**
   * Cue words ("password", "date of birth", "my name is"): a case-insensitive regex source without
   * capturing groups. `detectPii` runs the keywords of all detectors in one pass (one scan of the text
   * instead of one per detector) and calls `onKeyword` with the index where each hit starts.
   */
  readonly keywords?: string;
  onKeyword?(text: string, at: number, out: PiiFinding[]): void;
}
