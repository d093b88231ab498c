/** The immutable part of a sealed version: what was signed never changes, so it can be kept in memory. */
export interface SealedContent {
  digest: string;
  canonical: string;
  bundle: Record<string, unknown>;
  pack: unknown;
  /**
   * `"name":…,"version":…,"digest":…,"pack":…,"canonical":…,"bundle":…}` — the answer's immutable
   * members and its closing brace, UTF-8 encoded once: a resolve writes these bytes as they are.
   */
  jsonTail: Buffer;
}

/** The content of a sealed version, with its answer members serialized once. */
export function sealedContentOf(
  name: string,
  version: number,
  digest: string,
  canonical: string,
  bundle: Record<string, unknown>,
): SealedContent {
  // The canonical text is RFC 8785 JSON: it is the pack's serialization, used as is.
  const json = `"name":${JSON.stringify(name)},"version":${version},"digest":${JSON.stringify(digest)},"pack":${canonical},"canonical":${JSON.stringify(canonical)},"bundle":${JSON.stringify(bundle)}}`;
  return { digest, canonical, bundle, pack: JSON.parse(canonical) as unknown, jsonTail: Buffer.from(json) };
}

/**
 * A bounded, least-recently-used cache of sealed content by tenant, name and version. Only
 * immutable data lives here; state, channels and revocation are read on every request.
 */
export class SealedContentCache {
  private readonly entries = new Map<string, SealedContent>();

  constructor(private readonly capacity = 500) {}

  get(tenantId: string, name: string, version: number, digest: string): SealedContent | undefined {
    const key = keyOf(tenantId, name, version);
    const found = this.entries.get(key);
    // A digest mismatch cannot happen for a sealed version; if it ever did, trust the database.
    if (!found || found.digest !== digest) return undefined;
    this.entries.delete(key);
    this.entries.set(key, found);
    return found;
  }

  set(tenantId: string, name: string, version: number, content: SealedContent): void {
    const key = keyOf(tenantId, name, version);
    this.entries.delete(key);
    this.entries.set(key, content);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

function keyOf(tenantId: string, name: string, version: number): string {
  return `${tenantId}\u0000${name}\u0000${version}`;
}
