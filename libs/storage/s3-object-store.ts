import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { assertObjectKey, assertObjectPrefix, listOptions } from './object-key';
import { assertContentType, assertMetadata } from './object-metadata';
import { HashingTransform } from './hashing-transform';
import { VerifyingTransform } from './verifying-transform';
import { readToBuffer } from './stream-utils';
import { partsOf, type Part } from './stream-parts';
import {
  DEFAULT_CONTENT_TYPE,
  DEFAULT_GET_BUFFER_MAX_BYTES,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
  type ObjectMetadata,
  type ObjectStore,
  type OpenedObject,
  type OpenOptions,
  type PutOptions,
  type PutResult,
} from './object-store.port';
import {
  InvalidObjectMetadataError,
  ObjectNotFoundError,
  ObjectStoreError,
  ObjectTooLargeError,
} from './object-store.errors';

export interface S3ObjectStoreOptions {
  /** `http(s)://host[:port]` of MinIO or any S3 (S3_ENDPOINT). */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  /** Default us-east-1 (MinIO's); set so the client never asks the server for the bucket region. */
  region?: string;
  /** Multipart part size, the memory one upload holds: default 8 MiB, at least 5 MiB. */
  partSize?: number;
  /** Default 5 GiB: the largest object one server-side copy can write. */
  maxObjectBytes?: number;
  /** Default true: `endpoint/bucket/key` URLs, which MinIO needs; false for virtual-host style. */
  pathStyle?: boolean;
}

/** User-metadata field holding the content's SHA-256 (header `x-amz-meta-personae-sha256`). */
const SHA256_FIELD = 'personae-sha256';
/** Streams land here first; keys cannot start with `.`, so these never show as objects. */
const UPLOADS = '.uploads/';
const META_PREFIX = 'x-amz-meta-';

/**
 * Objects in an S3 bucket through the official MinIO client. The SHA-256 of every object is in its
 * user metadata. A body given as a buffer, or a stream no longer than one part, is one PUT with its
 * digest. A longer stream is a multipart upload (one part in memory at a time) to a unique key under
 * `.uploads/`, then a server-side copy onto the key with the digest added: the key changes in one
 * step, and concurrent writers never share a multipart upload (the client resumes uploads by key
 * name, which could mix parts of two writers). Set a lifecycle rule expiring `.uploads/` after a day
 * to collect uploads of processes that died mid-way.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: Client;
  readonly bucket: string;
  private readonly region: string;
  private readonly partSize: number;
  private readonly maxObjectBytes: number;

  constructor(options: S3ObjectStoreOptions) {
    const url = new URL(options.endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('the S3 endpoint must be an http or https URL');
    this.bucket = options.bucket;
    this.region = options.region ?? 'us-east-1';
    this.partSize = options.partSize ?? 8 * 1024 * 1024;
    this.maxObjectBytes = options.maxObjectBytes ?? 5 * 1024 ** 3;
    this.client = new Client({
      endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: this.region,
      pathStyle: options.pathStyle ?? true,
      partSize: this.partSize,
    });
  }

  /** Creates the bucket when missing; safe when several processes start at once. */
  async ensureBucket(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
    }
  }

  async put(key: string, body: Buffer | Uint8Array | Readable, options: PutOptions = {}): Promise<PutResult> {
    assertObjectKey(key);
    assertContentType(options.contentType);
    const given = options.metadata ?? {};
    assertMetadata(given, { allowReserved: true });
    if (SHA256_FIELD in given) throw new InvalidObjectMetadataError(`"${SHA256_FIELD}" is set by the store`);
    if (!(body instanceof Readable)) {
      const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      if (buffer.length > this.maxObjectBytes) throw new ObjectTooLargeError(key, this.maxObjectBytes);
      const sha256 = createHash('sha256').update(buffer).digest('hex');
      await this.putSmall(key, buffer, sha256, options);
      return { key, size: buffer.length, sha256 };
    }
    const hasher = new HashingTransform(this.maxObjectBytes, key);
    const parts = partsOf(
      pipeline(body, hasher, () => undefined),
      this.partSize,
    );
    try {
      const first = await parts.next();
      if (first.done) throw new Error('partsOf yields at least one part');
      // The stream fitted in one part: one PUT, digest included, no staging.
      if (first.value.last) await this.putSmall(key, first.value.part, hasher.sha256, options);
      else await this.putLarge(key, first.value.part, parts, hasher, options);
    } finally {
      await parts.return(undefined);
    }
    return { key, size: hasher.size, sha256: hasher.sha256 };
  }

  async open(key: string, options: OpenOptions = {}): Promise<OpenedObject> {
    assertObjectKey(key);
    let stream: Readable;
    try {
      stream = await this.client.getObject(this.bucket, key);
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    // The client hands back the HTTP response itself: its headers describe exactly this body.
    const headers = (stream as Readable & { headers?: IncomingHttpHeaders }).headers ?? {};
    const info = infoFromHeaders(key, headers);
    const expected = options.contentAuthenticated ? { size: info.size } : info;
    return { info, body: pipeline(stream, new VerifyingTransform(key, expected), () => undefined) };
  }

  async get(key: string): Promise<Readable> {
    return (await this.open(key)).body;
  }

  async getBuffer(key: string, maxBytes = DEFAULT_GET_BUFFER_MAX_BYTES): Promise<Buffer> {
    return readToBuffer(await this.get(key), maxBytes, key);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertObjectKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, key);
      // statObject strips `x-amz-meta-` and keeps a few standard headers beside: user keys never
      // take those names (assertMetadata), so everything else is user metadata.
      const raw = stat.metaData as Record<string, string>;
      const metadata: ObjectMetadata = {};
      for (const [name, value] of Object.entries(raw)) {
        const lower = name.toLowerCase();
        if (STANDARD_HEADERS.has(lower) || lower.startsWith('x-amz-')) continue;
        metadata[lower] = String(value);
      }
      return describe(key, stat.size, raw['content-type'], metadata);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertObjectPrefix(prefix);
    const { limit, after } = listOptions(options);
    const keys: string[] = [];
    let token = '';
    for (;;) {
      const page = await this.client.listObjectsV2Query(
        this.bucket,
        prefix,
        token,
        '',
        limit + 1,
        after ?? '',
      );
      for (const object of page.objects) {
        if (object.name && !object.name.startsWith(UPLOADS)) keys.push(object.name);
      }
      if (keys.length > limit || !page.isTruncated || !page.nextContinuationToken) break;
      token = page.nextContinuationToken;
    }
    if (keys.length <= limit) return { keys };
    keys.length = limit;
    return { keys, next: keys[limit - 1] };
  }

  async ping(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket)))
      throw new ObjectStoreError(`bucket "${this.bucket}" does not exist`);
  }

  private async putSmall(key: string, buffer: Buffer, sha256: string, options: PutOptions): Promise<void> {
    const metadata = this.finalMetadata(options, sha256);
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(metadata).map(([name, value]) => [`${META_PREFIX}${name}`, value]),
    );
    headers['Content-Type'] = options.contentType ?? DEFAULT_CONTENT_TYPE;
    await this.client.putObject(this.bucket, key, buffer, buffer.length, headers);
  }

  /**
   * Multipart upload driven here, one part in memory at a time (the client's own streaming upload
   * buffers up to 16 parts ahead, and resumes any upload it finds under the same name).
   */
  private async putLarge(
    key: string,
    first: Buffer,
    rest: AsyncGenerator<Part>,
    hasher: HashingTransform,
    options: PutOptions,
  ): Promise<void> {
    const staging = `${UPLOADS}${randomUUID()}`;
    const uploadId = await this.client.initiateNewMultipartUpload(this.bucket, staging, {});
    try {
      try {
        const etags: { part: number; etag: string }[] = [];
        let part: Buffer | undefined = first;
        for (let number = 1; part; number++) {
          const uploaded = await this.client.uploadPart(
            {
              bucketName: this.bucket,
              objectName: staging,
              uploadID: uploadId,
              partNumber: number,
              headers: {},
            },
            part,
          );
          etags.push({ part: number, etag: uploaded.etag });
          part = undefined;
          const next = await rest.next();
          if (!next.done) part = next.value.part;
        }
        await this.client.completeMultipartUpload(this.bucket, staging, uploadId, etags);
      } catch (error) {
        await this.client.abortMultipartUpload(this.bucket, staging, uploadId).catch(() => undefined);
        throw error;
      }
      // The key changes in this one step, with the digest that is only known now.
      await this.client.copyObject(
        new CopySourceOptions({ Bucket: this.bucket, Object: staging }),
        new CopyDestinationOptions({
          Bucket: this.bucket,
          Object: key,
          MetadataDirective: 'REPLACE',
          UserMetadata: this.finalMetadata(options, hasher.sha256),
          Headers: { 'Content-Type': options.contentType ?? DEFAULT_CONTENT_TYPE },
        }),
      );
    } finally {
      await this.client.removeObject(this.bucket, staging).catch(() => undefined);
    }
  }

  private finalMetadata(options: PutOptions, sha256: string): ObjectMetadata {
    const metadata = { ...options.metadata, ...options.trailingMetadata?.() };
    assertMetadata(metadata, { allowReserved: true });
    return { ...metadata, [SHA256_FIELD]: sha256 };
  }
}

const STANDARD_HEADERS = new Set([
  'content-type',
  'cache-control',
  'content-encoding',
  'content-disposition',
  'content-language',
  'if-none-match',
  'if-match',
]);

function infoFromHeaders(key: string, headers: IncomingHttpHeaders): ObjectInfo {
  const metadata: ObjectMetadata = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(META_PREFIX) && typeof value === 'string')
      metadata[name.slice(META_PREFIX.length)] = value;
  }
  const size = Number(headers['content-length']);
  if (!Number.isSafeInteger(size) || size < 0)
    throw new ObjectStoreError(`object "${key}" came without a valid Content-Length`, key);
  return describe(key, size, headers['content-type'], metadata);
}

function describe(
  key: string,
  size: number,
  contentType: string | undefined,
  metadata: ObjectMetadata,
): ObjectInfo {
  const sha256 = metadata[SHA256_FIELD];
  delete metadata[SHA256_FIELD];
  return {
    key,
    size,
    ...(sha256 && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {}),
    contentType: contentType ?? DEFAULT_CONTENT_TYPE,
    metadata,
  };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'NoSuchKey' || code === 'NotFound';
}
