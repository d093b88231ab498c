import { createHash } from 'node:crypto';
import { decodeSha256Hex } from './encoding';

/**
 * Audit hash chain: hash_i = SHA-256(hash_{i-1} ‖ canonical entry_i), hashes as 32 raw bytes
 * inside the hash and as lowercase hex outside. The first entry chains from GENESIS_HASH (32 zero
 * bytes). Editing, dropping, inserting or reordering any entry changes every later hash.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function chainHash(prevHashHex: string, canonicalEntry: Uint8Array): string {
  return createHash('sha256')
    .update(decodeSha256Hex(prevHashHex, 'previous hash'))
    .update(canonicalEntry)
    .digest('hex');
}

export interface ChainLink {
  /** The entry's canonical bytes (RFC 8785 JSON), as hashed when it was written. */
  entry: Uint8Array;
  /** The hash stored with it. */
  hash: string;
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  /** position: 0-based index of the first entry whose stored hash is not what the chain gives. */
  | { ok: false; position: number; expected: string; actual: string };

/**
 * Streaming verifier: feed links in order; memory stays constant whatever the length. Keeps the
 * previous hash as raw bytes so each step is one SHA-256 and one hex encode.
 */
export class HashChainVerifier {
  private prev: Buffer;
  private count = 0;
  private broken: Extract<ChainVerdict, { ok: false }> | undefined;

  constructor(startHash: string = GENESIS_HASH) {
    this.prev = decodeSha256Hex(startHash, 'start hash');
  }

  /** Returns false from the first broken link on; later links are not examined. */
  push(entry: Uint8Array, storedHash: string): boolean {
    if (this.broken) return false;
    const digest = createHash('sha256').update(this.prev).update(entry).digest();
    const expected = digest.toString('hex');
    if (expected !== storedHash) {
      this.broken = { ok: false, position: this.count, expected, actual: storedHash };
      return false;
    }
    this.prev = digest;
    this.count++;
    return true;
  }

  verdict(): ChainVerdict {
    return this.broken ?? { ok: true, count: this.count, head: this.prev.toString('hex') };
  }
}

export function verifyHashChain(links: Iterable<ChainLink>, startHash: string = GENESIS_HASH): ChainVerdict {
  const verifier = new HashChainVerifier(startHash);
  for (const link of links) if (!verifier.push(link.entry, link.hash)) break;
  return verifier.verdict();
}

/** Same, over an async source such as a database cursor, reading only as far as the first break. */
export async function verifyHashChainAsync(
  links: AsyncIterable<ChainLink>,
  startHash: string = GENESIS_HASH,
): Promise<ChainVerdict> {
  const verifier = new HashChainVerifier(startHash);
  for await (const link of links) if (!verifier.push(link.entry, link.hash)) break;
  return verifier.verdict();
}
