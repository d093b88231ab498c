import type { Connection, Submittable } from 'pg';

/** `PGCOPY\n\377\r\n\0`, then 32-bit flags and a 32-bit header extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Called once per row with views of its fields (null for SQL NULL), valid only during the call:
 * they point into the socket's buffer, so a row costs no copy. Return false to stop.
 */
export type RowSink = (fields: readonly (Buffer | null)[]) => boolean | void;

/**
 * `COPY (...) TO STDOUT (FORMAT binary)` on a node-postgres client, rows handed to a sink as they
 * arrive (node-postgres itself has no COPY support, and this is all verification needs). Binary
 * format keeps text fields as the stored UTF-8 bytes: hashing them needs no decoding to strings and
 * encoding back. The client applies TCP back-pressure by itself: rows are consumed synchronously.
 */
export class BinaryCopyOut implements Submittable {
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;
  private pending: Buffer | undefined;
  private headerRead = false;
  private finished = false;
  private stopped = false;
  private failure: unknown;
  private readonly fields: (Buffer | null)[] = [];

  constructor(
    private readonly text: string,
    private readonly sink: RowSink,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** True when the sink asked to stop: the rest of the COPY was read and dropped. */
  get wasStopped(): boolean {
    return this.stopped;
  }

  submit(connection: Connection): void {
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    if (this.stopped || this.failure !== undefined) return;
    try {
      this.consume(message.chunk);
    } catch (error) {
      this.failure = error;
    }
  }

  handleCommandComplete(): void {
    if (this.failure === undefined && !this.stopped && (!this.finished || this.pending))
      this.failure = new Error('COPY ended in the middle of a row');
  }

  handleReadyForQuery(): void {
    if (this.failure !== undefined) this.reject(this.failure);
    else this.resolve();
  }

  handleError(error: unknown): void {
    this.reject(error);
  }

  // Other messages of the protocol do not occur for COPY TO STDOUT.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {}

  private consume(chunk: Buffer): void {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let offset = 0;
    if (!this.headerRead) {
      if (buffer.length < SIGNATURE.length + 8) return this.keep(buffer, 0);
      if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE))
        throw new Error('not a binary COPY stream');
      const extension = buffer.readUInt32BE(SIGNATURE.length + 4);
      offset = SIGNATURE.length + 8 + extension;
      if (buffer.length < offset) return this.keep(buffer, 0);
      this.headerRead = true;
    }
    const fields = this.fields;
    while (offset + 2 <= buffer.length) {
      const count = buffer.readInt16BE(offset);
      if (count === -1) {
        this.finished = true;
        offset += 2;
        break;
      }
      let at = offset + 2;
      fields.length = 0;
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (at + 4 > buffer.length) {
          complete = false;
          break;
        }
        const length = buffer.readInt32BE(at);
        at += 4;
        if (length === -1) {
          fields.push(null);
          continue;
        }
        if (at + length > buffer.length) {
          complete = false;
          break;
        }
        fields.push(buffer.subarray(at, at + length));
        at += length;
      }
      if (!complete) break;
      offset = at;
      if (this.sink(fields) === false) {
        this.stopped = true;
        return;
      }
    }
    if (offset < buffer.length) this.keep(buffer, offset);
  }

  /** A partial row: copied, since the chunk it is in belongs to the socket. */
  private keep(buffer: Buffer, offset: number): void {
    this.pending = Buffer.from(buffer.subarray(offset));
  }
}
