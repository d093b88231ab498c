import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { QdrantVectorIndex } from '@personae/knowledge';
import { describeVectorIndexContract } from './vector-index.contract';

/**
 * The vector-index contract against a real Qdrant: QDRANT_URL (+ QDRANT_API_KEY) when set, otherwise a
 * Qdrant answering on 127.0.0.1:6333. Without either it is skipped, and says so.
 */
const LOCAL_QDRANT = 'http://127.0.0.1:6333';

/** Synchronous, because jest decides which suites exist before any hook runs. */
function reachable(url: string): boolean {
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `fetch(${JSON.stringify(`${url.replace(/\/+$/, '')}/readyz`)}, { signal: AbortSignal.timeout(1000) })` +
        '.then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))',
    ],
    { timeout: 3000 },
  );
  return probe.status === 0;
}

const url = process.env.QDRANT_URL ?? (reachable(LOCAL_QDRANT) ? LOCAL_QDRANT : undefined);

if (!url) {
  console.log('Qdrant vector-index contract suite skipped: set QDRANT_URL or run Qdrant on 127.0.0.1:6333');
  describe.skip('vector index contract: Qdrant', () => {
    it('needs QDRANT_URL, or a Qdrant on 127.0.0.1:6333', () => undefined);
  });
} else {
  // A collection prefix of its own per run, so parallel runs and old data never meet.
  const prefix = `personae_contract_${randomBytes(4).toString('hex')}`;
  describeVectorIndexContract(`Qdrant (${url})`, () =>
    Promise.resolve({
      index: new QdrantVectorIndex({
        url,
        apiKey: process.env.QDRANT_API_KEY,
        collectionPrefix: prefix,
        exact: true,
      }),
      close: async () => {
        const { QdrantClient } = await import('@qdrant/js-client-rest');
        const client = new QdrantClient({
          url,
          apiKey: process.env.QDRANT_API_KEY,
          checkCompatibility: false,
        });
        const { collections } = await client.getCollections();
        for (const { name } of collections) if (name.startsWith(prefix)) await client.deleteCollection(name);
      },
    }),
  );
}
