import { Type, type Static } from '@sinclair/typebox';
import { Closed, IDENTIFIER, SHA256_DIGEST } from './common.schema';

export const KnowledgeRefSchema = Closed(
  {
    snapshot: Type.String({
      pattern: IDENTIFIER,
      maxLength: 128,
      description: 'Id of the knowledge snapshot (a frozen set of chunks and vectors).',
    }),
    embedder: Type.String({
      pattern: IDENTIFIER,
      maxLength: 200,
      description: 'Embedder the vectors were made with, e.g. `hashing-v1` or `text-embedding-3-small`.',
    }),
    manifestDigest: Type.String({
      pattern: SHA256_DIGEST,
      description: 'SHA-256 of the snapshot manifest, so the sealed pack pins exact content.',
    }),
    chunks: Type.Integer({
      minimum: 0,
      maximum: 100000000,
      description: 'Number of chunks in the snapshot.',
    }),
  },
  { description: 'A reference to a knowledge snapshot.' },
);

export type KnowledgeRef = Static<typeof KnowledgeRefSchema>;
