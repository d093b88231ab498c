import { HttpException, HttpStatus, Injectable, type PipeTransform } from '@nestjs/common';
import { KnowledgeRefusal } from '../domain/knowledge-refusal';
import { SNAPSHOT_ID } from '../domain/snapshot';
import { EmbeddingError } from '../embedders/openai-compatible.embedder';
import { VectorDimensionError } from '../vector-index.port';

const STATUS: Record<KnowledgeRefusal['kind'], number> = {
  input: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  'too-large': HttpStatus.PAYLOAD_TOO_LARGE,
};

/** Refusals become 4xx `{ message, errors: [{ field, reason }] }`; an embeddings endpoint failing, 502. */
export function httpError(error: unknown): unknown {
  if (error instanceof KnowledgeRefusal)
    return new HttpException(
      { message: error.message, errors: [{ field: error.field, reason: error.reason }] },
      STATUS[error.kind],
    );
  if (error instanceof VectorDimensionError)
    return new HttpException(
      { message: error.message, errors: [{ field: 'snapshot', reason: error.message }] },
      409,
    );
  if (error instanceof EmbeddingError) return new HttpException(error.message, HttpStatus.BAD_GATEWAY);
  return error;
}

/** `:id` path segments: a snapshot id (`ks-<uuid>`), or 400. */
@Injectable()
export class SnapshotIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!SNAPSHOT_ID.test(value))
      throw httpError(new KnowledgeRefusal('input', 'id', 'must be a knowledge snapshot id: ks-<uuid>'));
    return value;
  }
}
