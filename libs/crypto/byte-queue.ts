/**
 * Bytes that arrived in chunks, taken out again as views of those chunks: a stream cipher can feed
 * its segments piece by piece instead of concatenating every chunk into a fresh buffer first.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Bytes already taken from chunks[0]. */
  private offset = 0;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /** The next `n` bytes (n ≤ length) as views, in order; no bytes are copied. */
  take(n: number): Buffer[] {
    if (n > this.total) throw new RangeError(`only ${this.total} bytes queued, ${n} asked`);
    const out: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0]!;
      const available = chunk.length - this.offset;
      if (available <= left) {
        out.push(this.offset === 0 ? chunk : chunk.subarray(this.offset));
        this.chunks.shift();
        this.offset = 0;
        left -= available;
      } else {
        out.push(chunk.subarray(this.offset, this.offset + left));
        this.offset += left;
        left = 0;
      }
    }
    this.total -= n;
    return out;
  }

  /** The first `n` bytes (n ≤ length) in one buffer, left in the queue: for small headers. */
  peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length - this.offset >= n) return first.subarray(this.offset, this.offset + n);
    const pieces = this.take(n);
    if (this.offset > 0) this.chunks[0] = this.chunks[0]!.subarray(this.offset);
    this.offset = 0;
    const copy = Buffer.concat(pieces);
    this.chunks.unshift(copy);
    this.total += n;
    return copy;
  }
}
