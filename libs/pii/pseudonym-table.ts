import { createHmac, randomBytes } from 'node:crypto';
import type { PiiType } from './pii-finding';

/**
 * Consistent pseudonyms within a session: the same value of the same type always gets the same
 * placeholder (`[EMAIL_1]`), a different value the next number. Values are keyed by an HMAC under
 * a per-table random key, so the table never holds a clear value and its keys cannot be reversed
 * by hashing guesses without that key.
 */
export class PseudonymTable {
  private readonly key: Buffer;
  private readonly byDigest = new Map<string, string>();
  private readonly counters = new Map<PiiType, number>();

  constructor(options: { key?: Buffer; maxEntries?: number } = {}) {
    this.key = options.key ?? randomBytes(32);
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  private readonly maxEntries: number;

  /** The pseudonym for `value` of `type`, allocating the next number on first sight. */
  pseudonymFor(type: PiiType, value: string): string {
    const digest = createHmac('sha256', this.key)
      .update(type)
      .update('\u0000')
      .update(value)
      .digest('base64url');
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

  /** How many distinct values have a pseudonym. */
  get size(): number {
    return this.byDigest.size;
  }
}
