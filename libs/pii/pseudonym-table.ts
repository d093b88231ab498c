import { createHmac, randomBytes } from 'node:crypto';
import type { PiiType } from './pii-finding';

export interface PseudonymTableOptions {
  /** HMAC key; random per table by default. Share it (from a secret store) to share `digest` pseudonyms. */
  key?: Buffer;
  /**
   * `counter` (default): `[EMAIL_1]`, `[EMAIL_2]` in first-seen order, readable but only stable within
   * this table. `digest`: `[EMAIL_3fa2c1d0]` from the HMAC, the same in every process holding the
   * key (event consumers on several replicas), and the table keeps nothing.
   */
  style?: 'counter' | 'digest';
  /** `counter` tables refuse new values past this (default 100,000) rather than grow without bound. */
  maxEntries?: number;
}

/**
 * Consistent pseudonyms within a session: the same value of the same type always gets the same
 * placeholder, a different value a different one. Values are keyed by an HMAC under the table's
 * key, so the table never holds a clear value and its keys cannot be reversed by hashing guesses
 * without that key.
 */
export class PseudonymTable {
  private readonly key: Buffer;
  private readonly style: 'counter' | 'digest';
  private readonly maxEntries: number;
  private readonly byDigest = new Map<string, string>();
  private readonly counters = new Map<PiiType, number>();

  constructor(options: PseudonymTableOptions = {}) {
    this.key = options.key ?? randomBytes(32);
    this.style = options.style ?? 'counter';
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  /** The pseudonym for `value` of `type`. */
  pseudonymFor(type: PiiType, value: string): string {
    const hmac = createHmac('sha256', this.key).update(type).update('\u0000').update(value);
    if (this.style === 'digest') return `[${type.toUpperCase()}_${hmac.digest('hex').slice(0, 8)}]`;
    const digest = hmac.digest('base64url');
    const known = this.byDigest.get(digest);
    if (known !== undefined) return known;
    if (this.byDigest.size >= this.maxEntries)
      throw new Error(`pseudonym table full (${this.maxEntries} entries)`);
    const next = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, next);
    const pseudonym = `[${type.toUpperCase()}_${next}]`;
    this.byDigest.set(digest, pseudonym);
    return pseudonym;
  }

  /** How many distinct values have a pseudonym (always 0 for `digest` tables, which keep nothing). */
  get size(): number {
    return this.byDigest.size;
  }
}
