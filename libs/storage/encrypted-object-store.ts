import { pipeline, Readable } from 'node:stream';
import {
  canonicalize,
  createDecryptStream,
  createEncryptStream,
  DecryptionError,
  type KeyRing,
} from '@personae/crypto';
import { assertObjectKey } from './object-key';
import { assertContentType, assertMetadata, RESERVED_METADATA_PREFIX, userMetadata } from './object-metadata';
import { HashingTransform } from './hashing-transform';
import { VerifyingTransform } from './verifying-transform';
import { readToBuffer, toReadable } from './stream-utils';
import {
  DEFAULT_CONTENT_TYPE,
  DEFAULT_GET_BUFFER_MAX_BYTES,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectStore,
  type OpenedObject,
  type PutOptions,
  type PutResult,
} from './object-store.port';
import { ObjectIntegrityError, ObjectTooLargeError } from './object-store.errors';

const FORMAT_FIELD = `${RESERVED_METADATA_PREFIX}enc`;
const FORMAT = 'pee1';
const PLAIN_SIZE_FIELD = `${RESERVED_METADATA_PREFIX}plain-size`;
const PLAIN_SHA256_FIELD = `${RESERVED_METADATA_PREFIX}plain-sha256`;

export interface EncryptedObjectStoreOptions {
  /** log2 of the encryption segment size (default 16 = 64 KiB): the memory one read holds. */
  segmentSizeLog2?: number;
}

/**
 * Envelope encryption over any ObjectStore: a fresh data key per object, wrapped by the KeyRing's
 * current KEK (libs/crypto `createEncryptStream`), streamed both ways in 64 KiB segments.
 * The AAD context binds the key, content type and user metadata, so a ciphertext moved to another
 * key, or metadata edited in the bucket, fails authentication. Size and SHA-256 reported are of the
 * plaintext, computed while streaming, stored as trailing metadata and checked again on every read.
 */
export class EncryptedObjectStore implements ObjectStore {
  constructor(
    readonly inner: ObjectStore,
    private readonly ring: KeyRing,
    private readonly options: EncryptedObjectStoreOptions = {},
  ) {}

  async put(key: string, body: Buffer | Uint8Array | Readable, options: PutOptions = {}): Promise<PutResult> {
    assertObjectKey(key);
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE;
    assertContentType(contentType);
    const metadata = { ...options.metadata };
    assertMetadata(metadata);
    if (options.trailingMetadata) throw new TypeError('trailingMetadata is not supported above encryption');
    const hasher = new HashingTransform(undefined, key);
    const encrypt = createEncryptStream(this.ring, {
      context: contextOf(key, contentType, metadata),
      segmentSizeLog2: this.options.segmentSizeLog2,
    });
    const ciphertext = pipeline(toReadable(body), hasher, encrypt, () => undefined);
    await this.inner.put(key, ciphertext, {
      contentType,
      metadata: { ...metadata, [FORMAT_FIELD]: FORMAT },
      trailingMetadata: () => ({
        [PLAIN_SIZE_FIELD]: String(hasher.size),
        [PLAIN_SHA256_FIELD]: hasher.sha256,
      }),
    });
    return { key, size: hasher.size, sha256: hasher.sha256 };
  }

  async open(key: string): Promise<OpenedObject> {
    // AES-GCM authenticates every stored byte (and the end): the inner store's digest pass would
    // check them a second time, so it only checks the size.
    const opened = await this.inner.open(key, { contentAuthenticated: true });
    let info: ObjectInfo;
    try {
      info = plainInfo(opened.info);
    } catch (error) {
      opened.body.destroy();
      throw error;
    }
    const decrypt = createDecryptStream(this.ring, {
      context: contextOf(key, info.contentType, info.metadata),
    });
    const plaintext = pipeline(opened.body, decrypt, new VerifyingTransform(key, info), () => undefined);
    return { info, body: Readable.from(asIntegrityErrors(plaintext, key), { objectMode: false }) };
  }

  async get(key: string): Promise<Readable> {
    return (await this.open(key)).body;
  }

  async getBuffer(key: string, maxBytes = DEFAULT_GET_BUFFER_MAX_BYTES): Promise<Buffer> {
    const { info, body } = await this.open(key);
    if (info.size > maxBytes) {
      body.destroy();
      throw new ObjectTooLargeError(key, maxBytes);
    }
    return readToBuffer(body, maxBytes, key);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await this.inner.head(key);
    return info && plainInfo(info);
  }

  async exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }

  async delete(key: string): Promise<void> {
    await this.inner.delete(key);
  }

  async list(prefix: string, options?: ListOptions): Promise<ListPage> {
    return this.inner.list(prefix, options);
  }

  async ping(): Promise<void> {
    await this.inner.ping();
  }
}

/** What the AAD binds besides the header: the object's identity and its caller-visible metadata. */
function contextOf(key: string, contentType: string, metadata: Record<string, string>): string {
  return `personae-object/v1\n${canonicalize({ key, contentType, metadata })}`;
}

function plainInfo(stored: ObjectInfo): ObjectInfo {
  const { key, metadata } = stored;
  if (metadata[FORMAT_FIELD] !== FORMAT)
    throw new ObjectIntegrityError(`object "${key}" is not envelope-encrypted`, key);
  const size = Number(metadata[PLAIN_SIZE_FIELD]);
  const sha256 = metadata[PLAIN_SHA256_FIELD];
  if (!Number.isSafeInteger(size) || size < 0 || !sha256 || !/^[0-9a-f]{64}$/.test(sha256))
    throw new ObjectIntegrityError(`object "${key}" lacks its plaintext size or digest`, key);
  return { key, size, sha256, contentType: stored.contentType, metadata: userMetadata(metadata) };
}

/** Reports decryption failures as what they mean to a store user: the object is not intact. */
async function* asIntegrityErrors(source: Readable, key: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of source) yield chunk as Buffer;
  } catch (error) {
    if (error instanceof DecryptionError)
      throw new ObjectIntegrityError(`object "${key}" failed decryption: ${error.message}`, key);
    throw error;
  }
}
