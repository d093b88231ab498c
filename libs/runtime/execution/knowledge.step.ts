import { BadGatewayException, Injectable } from '@nestjs/common';
import type { KnowledgePassage } from '@personae/models';
import { HttpClient, PersonaeApiError } from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';
import type { VerifiedPersona } from '../personas/verified-persona';
import type { ExecutionRequest } from './execution-types';

/** Passages per snapshot, and in all, handed to the model. */
const PER_SNAPSHOT = 4;
const MOST = 8;
/** Retrieval query: the input's first characters (the knowledge service bounds its query size). */
const MAX_QUERY = 2000;

interface SearchHit {
  chunkId: string;
  score: number;
  text: string;
  source?: string;
}

/**
 * Retrieval from the pack's own knowledge snapshots only — never another persona's — through the
 * knowledge service's search (`POST /v1/knowledge/snapshots/:id/search`), with the caller's token
 * so tenant scoping holds. A pack without knowledge costs nothing here.
 */
@Injectable()
export class KnowledgeStep {
  constructor(private readonly urls: ServiceUrls) {}

  async retrieve(
    request: ExecutionRequest,
    persona: VerifiedPersona,
    query: string,
  ): Promise<KnowledgePassage[]> {
    const snapshots = persona.pack.spec.knowledge;
    if (snapshots.length === 0 || query.trim() === '') return [];
    const http = new HttpClient({
      baseUrl: this.urls.knowledge(),
      token: request.token,
      timeoutMs: 10_000,
      correlationId: currentCorrelationId(),
    });
    const results = await Promise.all(
      snapshots.map(async (ref) => {
        try {
          const { hits } = await http.request<{ hits: SearchHit[] }>(
            'POST',
            `/v1/knowledge/snapshots/${encodeURIComponent(ref.snapshot)}/search`,
            { query: query.slice(0, MAX_QUERY), k: PER_SNAPSHOT },
          );
          return hits;
        } catch (error) {
          const reason =
            error instanceof PersonaeApiError
              ? `${error.status} ${error.body.message ?? ''}`
              : (error as Error).message;
          throw new BadGatewayException(
            `knowledge snapshot ${ref.snapshot} of ${persona.ref} could not be searched: ${reason}`,
          );
        }
      }),
    );
    return results
      .flat()
      .filter((hit) => hit.text)
      .sort((a, b) => b.score - a.score)
      .slice(0, MOST)
      .map((hit) => ({ id: hit.chunkId, text: hit.text, ...(hit.source ? { source: hit.source } : {}) }));
  }
}
