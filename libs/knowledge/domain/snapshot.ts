import type { KnowledgeRef } from '@personae/pack';
import type { TextSource } from './text-chunker';

/** One document of a snapshot: an uploaded attachment, an approved answer… */
export interface KnowledgeDocument {
  /** Names it in search results and filters: a file name, `answer:<event id>`. 1–500 characters. */
  source: string;
  tags?: string[];
  /** The text, whole or as a stream (strings or UTF-8 bytes): it is chunked as it arrives. */
  text: TextSource;
}

export interface SnapshotSummary {
  id: string;
  tenantId: string;
  state: 'building' | 'sealed';
  embedder: string;
  label: string;
  manifestDigest: string | null;
  chunks: number;
  sources: number;
  /** UTF-8 bytes of all chunk texts (overlap counted in each chunk). */
  textBytes: number;
  createdBy: string;
  createdAt: string;
  sealedAt: string | null;
}

export interface IngestedSnapshot {
  snapshotId: string;
  manifestDigest: string;
  chunks: number;
  embedder: string;
  sources: number;
  textBytes: number;
  /** What a pack's `spec.knowledge[]` carries to pin this snapshot. */
  ref: KnowledgeRef;
}

export interface SearchHit {
  chunkId: string;
  score: number;
  text: string;
  source: string;
  tags: string[];
  ordinal: number;
}

export const SNAPSHOT_ID = /^ks-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SOURCE_MAX = 500;
export const TAG = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
export const TAGS_MAX = 20;

/** Problems with a document's name and tags, as `{ field, reason }` (field relative to the document). */
export function documentProblems(source: unknown, tags: unknown): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  if (typeof source !== 'string' || source.trim().length === 0 || source.length > SOURCE_MAX)
    problems.push({
      field: 'source',
      reason: `must be a non-empty string of at most ${SOURCE_MAX} characters`,
    });
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.length > TAGS_MAX)
      problems.push({ field: 'tags', reason: `must be an array of at most ${TAGS_MAX} tags` });
    else
      tags.forEach((tag, i) => {
        if (typeof tag !== 'string' || !TAG.test(tag))
          problems.push({
            field: `tags[${i}]`,
            reason: 'must be a tag: letters, digits and ._:/- (at most 64)',
          });
      });
  }
  return problems;
}
