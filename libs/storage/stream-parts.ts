export interface Part {
  part: Buffer;
  /** Nothing follows: the stream ended with this part. */
  last: boolean;
}

/**
 * Cuts a stream into parts of exactly `size` bytes (the last one shorter). A part is yielded only
 * once a byte beyond it arrived or the stream ended, so `last` is always known. Chunks are copied
 * into one part buffer, reused for every part: the consumer is done with a part when it asks for
 * the next. A stream that ends within one part never allocates the full part size.
 */
export async function* partsOf(source: AsyncIterable<unknown>, size: number): AsyncGenerator<Part> {
  let part: Buffer | undefined;
  let filled = 0;
  const small: Buffer[] = [];
  for await (const raw of source) {
    let chunk = raw as Buffer;
    while (chunk.length > 0) {
      if (!part) {
        if (filled + chunk.length <= size) {
          small.push(chunk);
          filled += chunk.length;
          break;
        }
        part = Buffer.allocUnsafe(size);
        let offset = 0;
        for (const piece of small.splice(0)) offset += piece.copy(part, offset);
      }
      if (filled === size) {
        yield { part, last: false };
        filled = 0;
      }
      const take = Math.min(size - filled, chunk.length);
      chunk.copy(part, filled, 0, take);
      filled += take;
      chunk = chunk.subarray(take);
    }
  }
  yield { part: part ? part.subarray(0, filled) : Buffer.concat(small, filled), last: true };
}
