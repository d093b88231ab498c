import { KnowledgeRefusal, type KnowledgeDocument, type KnowledgeService } from '@personae/knowledge';
import { ObjectIntegrityError, ObjectNotFoundError, type ObjectStore } from '@personae/storage';
import type { DataSource } from 'typeorm';
import type { KnowledgeSource } from '../domain/knowledge-sources';
import type { StoredSnapshot } from '../store/runs.store';

/** Media types read as text; others (PDF, images) are skipped and reported. */
const TEXT_TYPES = /^(text\/|application\/(json|x-yaml|yaml|xml|x-ndjson|markdown))/;
const SOURCE_MAX = 500;

/**
 * Builds a session's knowledge snapshot through the knowledge service (in process: it chunks, embeds,
 * stores and seals, and streams each document, so a huge attachment costs a few batches of memory).
 * Attachments are decrypted from the object store as they stream, after checking the stored digest
 * against the uploaded one. One snapshot per session: it is recorded against the session and found
 * again by a rerun, so the same session always pins the same manifest digest.
 */
export class SessionSnapshotter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly objects: ObjectStore,
    private readonly knowledge: KnowledgeService,
  ) {}

  async build(
    tenantId: string,
    sessionId: string,
    sources: readonly KnowledgeSource[],
  ): Promise<StoredSnapshot> {
    const skipped: StoredSnapshot['skipped'] = [];
    const readable: KnowledgeSource[] = [];
    for (const source of sources) {
      const reason = await this.unreadable(source);
      if (reason) skipped.push({ source: source.id, reason });
      else readable.push(source);
    }
    const sourceEvents = Object.fromEntries(sources.map((s) => [s.id, s.events]));
    const recorded = await this.recorded(sessionId);
    if (recorded) return { ...recorded, skipped, sourceEvents };
    if (readable.length === 0) return { sources: [], skipped, sourceEvents };

    let ingested;
    try {
      ingested = await this.knowledge.ingestSnapshot({
        tenantId,
        createdBy: 'service:synthesis-pipeline',
        label: `training session ${sessionId}`,
        documents: this.documents(readable),
      });
    } catch (error) {
      // Sources that hold no text at all: no snapshot, which the draft simply does not pin.
      if (error instanceof KnowledgeRefusal && error.field === 'documents' && error.kind === 'input')
        return { sources: [], skipped, sourceEvents };
      throw error;
    }
    const snapshot = { ref: ingested.ref, sources: readable.map((s) => s.id) };
    await this.dataSource.query(
      `INSERT INTO synthesis.session_snapshots (session_id, tenant_id, snapshot) VALUES ($1, $2, $3)
       ON CONFLICT (session_id) DO NOTHING`,
      [sessionId, tenantId, JSON.stringify(snapshot)],
    );
    // A concurrent attempt may have recorded first: the recorded one is the session's.
    const kept = (await this.recorded(sessionId)) ?? snapshot;
    return { ...kept, skipped, sourceEvents };
  }

  private async recorded(sessionId: string): Promise<Pick<StoredSnapshot, 'ref' | 'sources'> | undefined> {
    const rows: { snapshot: Pick<StoredSnapshot, 'ref' | 'sources'> }[] = await this.dataSource.query(
      `SELECT snapshot FROM synthesis.session_snapshots WHERE session_id = $1`,
      [sessionId],
    );
    return rows[0]?.snapshot;
  }

  private async *documents(sources: readonly KnowledgeSource[]): AsyncGenerator<KnowledgeDocument> {
    for (const source of sources) {
      const tags = [`event:${source.id}`];
      if (source.kind === 'answer') yield { source: `answer:${source.id}`, tags, text: source.text };
      else
        yield {
          source: `attachment:${source.id}:${source.title}`.slice(0, SOURCE_MAX),
          tags,
          text: await this.open(source.objectKey, source.id),
        };
    }
  }

  private async open(key: string, id: string): Promise<AsyncIterable<Uint8Array>> {
    try {
      return (await this.objects.open(key)).body as AsyncIterable<Uint8Array>;
    } catch (error) {
      if (error instanceof ObjectNotFoundError || error instanceof ObjectIntegrityError)
        throw new Error(`attachment ${id}: ${error.message}`);
      throw error;
    }
  }

  private async unreadable(source: KnowledgeSource): Promise<string | undefined> {
    if (source.kind === 'answer') return undefined;
    if (!TEXT_TYPES.test(source.mediaType)) return `media type ${source.mediaType || 'unknown'} is not text`;
    const info = await this.objects.head(source.objectKey);
    if (!info) return `object ${source.objectKey} not found`;
    if (source.sha256 && info.sha256 && info.sha256 !== source.sha256)
      return 'stored content does not match the uploaded SHA-256';
    return undefined;
  }
}
