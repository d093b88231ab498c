import type { HttpClient } from './http-client';

/** One document of a new snapshot. */
export interface KnowledgeDocumentInput {
  /** A file name, `answer:<event id>`…: names the chunk in search results and filters. */
  source: string;
  tags?: string[];
  text: string;
}

/** A sealed snapshot, and the ref a pack's `spec.knowledge[]` carries to pin it. */
export interface IngestedSnapshotView {
  snapshotId: string;
  manifestDigest: string;
  chunks: number;
  embedder: string;
  sources: number;
  textBytes: number;
  ref: { snapshot: string; embedder: string; manifestDigest: string; chunks: number };
}

export interface SnapshotView {
  id: string;
  tenantId: string;
  state: 'building' | 'sealed';
  embedder: string;
  label: string;
  manifestDigest: string | null;
  chunks: number;
  sources: number;
  textBytes: number;
  createdBy: string;
  createdAt: string;
  sealedAt: string | null;
}

export interface ManifestPage {
  snapshot: SnapshotView;
  /** In chunk-id order, the order the manifest digest is computed in. */
  entries: { id: string; contentHash: string }[];
  /** Pass as `after` for the next page; null on the last. */
  next: string | null;
}

export interface KnowledgeSearchRequest {
  query: string;
  /** 1–100; default 5. */
  k?: number;
  /** `sources`: any of; `tags`: every one of. */
  filter?: { sources?: string[]; tags?: string[] };
}

export interface KnowledgeHit {
  chunkId: string;
  /** Cosine similarity, best first. */
  score: number;
  text: string;
  source: string;
  tags: string[];
  ordinal: number;
}

/** Typed client of knowledge snapshots (/v1/knowledge/snapshots, served by the synthesis pipeline). */
export class KnowledgeClient {
  constructor(private readonly http: HttpClient) {}

  /** Chunks, embeds and seals documents as a new snapshot (trainer or admin). */
  createSnapshot(documents: KnowledgeDocumentInput[], label?: string): Promise<IngestedSnapshotView> {
    return this.http.request('POST', '/v1/knowledge/snapshots', { documents, ...(label ? { label } : {}) });
  }

  /** One plain-text document sent as the body, chunked by the server as it arrives. */
  uploadSnapshot(
    text: string,
    source: string,
    options: { tags?: string[]; label?: string } = {},
  ): Promise<IngestedSnapshotView> {
    const query = new URLSearchParams({ source });
    if (options.tags?.length) query.set('tags', options.tags.join(','));
    if (options.label) query.set('label', options.label);
    return this.http.request('POST', `/v1/knowledge/snapshots/upload?${query.toString()}`, text);
  }

  snapshot(id: string): Promise<SnapshotView> {
    return this.http.request('GET', `/v1/knowledge/snapshots/${encodeURIComponent(id)}`);
  }

  manifest(id: string, page: { after?: string; limit?: number } = {}): Promise<ManifestPage> {
    const query = new URLSearchParams();
    if (page.after) query.set('after', page.after);
    if (page.limit) query.set('limit', String(page.limit));
    const suffix = query.size > 0 ? `?${query.toString()}` : '';
    return this.http.request('GET', `/v1/knowledge/snapshots/${encodeURIComponent(id)}/manifest${suffix}`);
  }

  /** The `k` chunks most similar to the query (orchestrator, trainer, reviewer): what the runtime retrieves. */
  async search(snapshotId: string, request: KnowledgeSearchRequest): Promise<KnowledgeHit[]> {
    const { hits } = await this.http.request<{ hits: KnowledgeHit[] }>(
      'POST',
      `/v1/knowledge/snapshots/${encodeURIComponent(snapshotId)}/search`,
      request,
    );
    return hits;
  }
}
