import { createHash, type Hash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';

/** One chunk as the manifest pins it. */
export interface ManifestEntry {
  id: string;
  /** `sha256:<hex>` of the chunk's text (UTF-8). */
  contentHash: string;
}

/** What a pack pins: every chunk (sorted by id) with its content hash, and the embedder of the vectors. */
export interface SnapshotManifest {
  snapshot: string;
  embedder: string;
  chunks: ManifestEntry[];
}

export function contentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** 128 bits of sha256 over (snapshot, ordinal, content hash): unique per place and content. */
export function chunkId(snapshotId: string, ordinal: number, hash: string): string {
  return createHash('sha256').update(`${snapshotId}\n${ordinal}\n${hash}`, 'utf8').digest('hex').slice(0, 32);
}

/** `sha256:` of the manifest's RFC 8785 canonical JSON. */
export function manifestDigest(manifest: SnapshotManifest): string {
  const sorted = { ...manifest, chunks: [...manifest.chunks].sort((a, b) => compareIds(a.id, b.id)) };
  return `sha256:${createHash('sha256').update(canonicalize(sorted), 'utf8').digest('hex')}`;
}

/**
 * The same digest computed entry by entry, so a snapshot of millions of chunks never has its manifest
 * in memory: entries must come in ascending id order (as `ORDER BY id` on a C-collated column gives).
 * Canonical JSON sorts keys, so the bytes are `{"chunks":[…],"embedder":…,"snapshot":…}`.
 */
export class ManifestHasher {
  private readonly hash: Hash = createHash('sha256');
  private last: string | undefined;
  private count = 0;

  constructor(
    private readonly snapshot: string,
    private readonly embedder: string,
  ) {
    this.hash.update('{"chunks":[', 'utf8');
  }

  add(entry: ManifestEntry): void {
    if (this.last !== undefined && compareIds(this.last, entry.id) >= 0)
      throw new Error(`manifest entries out of order: ${entry.id} after ${this.last}`);
    this.last = entry.id;
    this.hash.update(
      `${this.count++ > 0 ? ',' : ''}${canonicalize({ contentHash: entry.contentHash, id: entry.id })}`,
    );
  }

  digest(): string {
    this.hash.update(
      `],"embedder":${canonicalize(this.embedder)},"snapshot":${canonicalize(this.snapshot)}}`,
      'utf8',
    );
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/** Code-unit order, the order of RFC 8785 and of Postgres `COLLATE "C"` for ASCII ids. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
