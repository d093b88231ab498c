import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ByteQueue } from './byte-queue';
import type { KeyRing } from './key-ring';

/**
 * Envelope encryption: every object gets a fresh random AES-256 data key (DEK), wrapped with the
 * key ring's current KEK under AES-256-GCM; the data is AES-256-GCM in fixed-size segments
 * (the STREAM construction also used by Tink and age), so a stream decrypts with bounded memory
 * and never releases a segment before its tag verified. Layout:
 *
 *   "PEE1" | u8 log2(segment size) | u8 kid length | kid | wrapped DEK (12 nonce ‖ 32 ‖ 16 tag)
 *   | 7-byte nonce prefix | segments: ciphertext ‖ 16-byte tag
 *
 * Segment i uses nonce = prefix ‖ u32be(i) ‖ (1 if last else 0) and AAD = whole header ‖ context,
 * so flipping, reordering, truncating or extending anything fails. A fresh DEK per object means
 * nonces never repeat under one key. `context` (e.g. tenant + object id) is not stored: the reader
 * must supply the same, which stops a ciphertext being swapped in for another object.
 */
const MAGIC = Buffer.from('PEE1', 'ascii');
const TAG = 16;
const WRAPPED_DEK = 12 + 32 + TAG;
const PREFIX = 7;
const MAX_SEGMENTS = 2 ** 32;
const DEFAULT_SEGMENT_LOG2 = 16;
/** The longest header: magic, log2, kid length, a 64-byte kid, the wrapped DEK, the nonce prefix. */
const MAX_HEADER = 6 + 64 + WRAPPED_DEK + PREFIX;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export interface EncryptOptions {
  /** Bound into every tag but not stored; decryption must pass the same. */
  context?: string | Uint8Array;
  /** log2 of the plaintext segment size, 10..24 (default 16 = 64 KiB). */
  segmentSizeLog2?: number;
}

export function encryptSecret(ring: KeyRing, plaintext: Uint8Array, options: EncryptOptions = {}): Buffer {
  const out: Buffer[] = [];
  const sealer = Segments.create(ring, options, (b) => out.push(b));
  sealer.sealAll(Buffer.from(plaintext));
  return Buffer.concat(out);
}

export function decryptSecret(
  ring: KeyRing,
  blob: Uint8Array,
  options: Pick<EncryptOptions, 'context'> = {},
): Buffer {
  // A view, not a copy: archives can be large.
  const data = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const header = readHeader(data);
  if (!header) throw new DecryptionError('ciphertext is shorter than its header');
  const segments = Segments.open(ring, header, options.context);
  const out: Buffer[] = [];
  const step = segments.size + TAG;
  let offset = header.length;
  let index = 0;
  while (data.length - offset > step) {
    out.push(segments.openSegment(index++, false, data.subarray(offset, offset + step)));
    offset += step;
  }
  out.push(segments.openSegment(index, true, data.subarray(offset)));
  return Buffer.concat(out);
}

/** The KEK id a ciphertext was wrapped under: lets a rotation job find what to re-encrypt. */
export function readKekId(blob: Uint8Array): string {
  const header = readHeader(Buffer.from(blob.buffer, blob.byteOffset, Math.min(blob.byteLength, 6 + 255)));
  if (!header) throw new DecryptionError('not an envelope-encrypted object');
  return header.kid;
}

export function createEncryptStream(ring: KeyRing, options: EncryptOptions = {}): Transform {
  let segments: Segments | undefined;
  const pending = new ByteQueue();
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      segments ??= Segments.create(ring, options, (b) => this.push(b));
      pending.push(chunk);
      // Keep at least one byte back: only flush knows which segment is the last.
      while (pending.length > segments.size) segments.sealPieces(pending.take(segments.size), false);
      done();
    },
    flush(done: TransformCallback) {
      segments ??= Segments.create(ring, options, (b) => this.push(b));
      segments.sealPieces(pending.take(pending.length), true);
      done();
    },
  });
}

export function createDecryptStream(ring: KeyRing, options: Pick<EncryptOptions, 'context'> = {}): Transform {
  let segments: Segments | undefined;
  const pending = new ByteQueue();
  let index = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        pending.push(chunk);
        if (!segments) {
          const header = readHeader(pending.peek(Math.min(pending.length, MAX_HEADER)));
          if (!header) return done();
          segments = Segments.open(ring, header, options.context);
          pending.take(header.length);
        }
        const step = segments.size + TAG;
        while (pending.length > step)
          for (const plain of segments.openPieces(index++, false, pending.take(step))) this.push(plain);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!segments) throw new DecryptionError('ciphertext is shorter than its header');
        for (const plain of segments.openPieces(index, true, pending.take(pending.length))) this.push(plain);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

interface Header {
  length: number;
  bytes: Buffer;
  segmentLog2: number;
  kid: string;
  wrappedDek: Buffer;
  prefix: Buffer;
}

/** Undefined while too few bytes have arrived; throws once they show it is not our format. */
function readHeader(data: Buffer): Header | undefined {
  if (data.length < 6) return undefined;
  if (!data.subarray(0, 4).equals(MAGIC)) throw new DecryptionError('not an envelope-encrypted object');
  const segmentLog2 = data[4]!;
  const kidLength = data[5]!;
  if (segmentLog2 < 10 || segmentLog2 > 24 || kidLength === 0 || kidLength > 64)
    throw new DecryptionError('corrupt envelope header');
  const length = 6 + kidLength + WRAPPED_DEK + PREFIX;
  if (data.length < length) return undefined;
  const bytes = Buffer.from(data.subarray(0, length));
  return {
    length,
    bytes,
    segmentLog2,
    kid: bytes.toString('ascii', 6, 6 + kidLength),
    wrappedDek: bytes.subarray(6 + kidLength, 6 + kidLength + WRAPPED_DEK),
    prefix: bytes.subarray(length - PREFIX),
  };
}

/** The per-object state: DEK, nonce prefix, AAD and segment counter. */
class Segments {
  private index = 0;
  private finished = false;

  private constructor(
    private readonly dek: Buffer,
    private readonly prefix: Buffer,
    private readonly aad: Buffer,
    readonly size: number,
    private readonly emit: (bytes: Buffer) => void,
  ) {}

  static create(ring: KeyRing, options: EncryptOptions, emit: (bytes: Buffer) => void): Segments {
    const segmentLog2 = options.segmentSizeLog2 ?? DEFAULT_SEGMENT_LOG2;
    if (!Number.isInteger(segmentLog2) || segmentLog2 < 10 || segmentLog2 > 24)
      throw new RangeError('segmentSizeLog2 must be an integer in 10..24');
    const { id, key } = ring.current;
    const dek = randomBytes(32);
    const wrapNonce = randomBytes(12);
    const wrap = createCipheriv('aes-256-gcm', key, wrapNonce).setAAD(wrapAad(id));
    const wrapped = Buffer.concat([wrapNonce, wrap.update(dek), wrap.final(), wrap.getAuthTag()]);
    const kid = Buffer.from(id, 'ascii');
    const prefix = randomBytes(PREFIX);
    const header = Buffer.concat([MAGIC, Buffer.from([segmentLog2, kid.length]), kid, wrapped, prefix]);
    emit(header);
    return new Segments(dek, prefix, aadOf(header, options.context), 2 ** segmentLog2, emit);
  }

  static open(ring: KeyRing, header: Header, context: EncryptOptions['context']): Segments {
    const kek = ring.key(header.kid);
    if (!kek) throw new DecryptionError(`unknown key-encryption key id "${header.kid}"`);
    const w = header.wrappedDek;
    let dek: Buffer;
    try {
      const unwrap = createDecipheriv('aes-256-gcm', kek, w.subarray(0, 12)).setAAD(wrapAad(header.kid));
      unwrap.setAuthTag(w.subarray(12 + 32));
      dek = Buffer.concat([unwrap.update(w.subarray(12, 12 + 32)), unwrap.final()]);
    } catch {
      throw new DecryptionError(`data key does not unwrap with key-encryption key "${header.kid}"`);
    }
    return new Segments(dek, header.prefix, aadOf(header.bytes, context), 2 ** header.segmentLog2, () => {});
  }

  /** One-shot: the whole plaintext as segments, the last one flagged. */
  sealAll(plaintext: Buffer): void {
    let offset = 0;
    while (plaintext.length - offset > this.size) {
      this.sealNext(plaintext.subarray(offset, offset + this.size), false);
      offset += this.size;
    }
    this.sealNext(plaintext.subarray(offset), true);
  }

  sealNext(plaintext: Buffer, last: boolean): void {
    this.sealPieces([plaintext], last);
  }

  /** One segment given as consecutive pieces: each is encrypted as it is, nothing is concatenated. */
  sealPieces(plaintext: readonly Buffer[], last: boolean): void {
    if (this.finished) throw new Error('the last segment was already written');
    if (this.index >= MAX_SEGMENTS) throw new RangeError('object too large for one data key');
    const cipher = createCipheriv('aes-256-gcm', this.dek, this.nonce(this.index++, last)).setAAD(this.aad);
    for (const piece of plaintext) this.emit(cipher.update(piece));
    cipher.final(); // GCM has no trailing block: nothing comes out
    this.emit(cipher.getAuthTag());
    if (last) this.finish();
  }

  openSegment(index: number, last: boolean, segment: Buffer): Buffer {
    return Buffer.concat(this.openPieces(index, last, [segment]));
  }

  /**
   * One segment (ciphertext ‖ tag) given as consecutive pieces; its plaintext, as pieces, once the
   * tag verified (never before).
   */
  openPieces(index: number, last: boolean, segment: readonly Buffer[]): Buffer[] {
    const length = segment.reduce((n, piece) => n + piece.length, 0);
    if (length < TAG) throw new DecryptionError('ciphertext is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.dek, this.nonce(index, last)).setAAD(this.aad);
      const plaintext: Buffer[] = [];
      const tag: Buffer[] = [];
      let left = length - TAG;
      for (const piece of segment) {
        const data = Math.min(left, piece.length);
        if (data > 0) plaintext.push(decipher.update(piece.subarray(0, data)));
        if (data < piece.length) tag.push(piece.subarray(data));
        left -= data;
      }
      decipher.setAuthTag(tag.length === 1 ? tag[0]! : Buffer.concat(tag));
      decipher.final();
      if (last) this.finish();
      return plaintext;
    } catch {
      throw new DecryptionError(`segment ${index} failed authentication (modified, reordered or truncated)`);
    }
  }

  /** Best effort: JS cannot promise the key leaves memory, but it need not linger in this buffer. */
  private finish(): void {
    this.finished = true;
    this.dek.fill(0);
  }

  private nonce(index: number, last: boolean): Buffer {
    const nonce = Buffer.alloc(12);
    this.prefix.copy(nonce, 0);
    nonce.writeUInt32BE(index, PREFIX);
    nonce[11] = last ? 1 : 0;
    return nonce;
  }
}

function wrapAad(kid: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(`:dek:${kid}`, 'ascii')]);
}

function aadOf(header: Buffer, context: EncryptOptions['context']): Buffer {
  const bytes = typeof context === 'string' ? Buffer.from(context, 'utf8') : Buffer.from(context ?? []);
  // Length-prefixed, so header ‖ context cannot be re-split differently; absent = empty.
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([header, length, bytes]);
}
