/**
 * Digests are stored and served as `sha256:<hex>` (the pack library's form); event fields named
 * `*_sha256` and in-toto digests carry the bare hex, the algorithm being in the name.
 */
export function sha256Hex(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice('sha256:'.length) : digest;
}

export function sameDigest(a: string, b: string): boolean {
  return sha256Hex(a) === sha256Hex(b);
}
