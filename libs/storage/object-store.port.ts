import type { Readable } from 'node:stream';

/** Injection token of the process' object store (adapter chosen from AppConfig). */
export const OBJECT_STORE = Symbol('personae:object-store');
/** Injection token of the same store behind envelope encryption under the process KeyRing. */
export const ENCRYPTED_OBJECT_STORE = Symbol('personae:encrypted-object-store');

/** User metadata: lowercase keys, printable-ASCII values (what S3 headers carry intact). */
export type ObjectMetadata = Record<string, string>;

export interface PutOptions {
  /** Default `application/octet-stream`. */
  contentType?: string;
  metadata?: ObjectMetadata;
  /**
   * Metadata known only once the body has been read (a digest of what streamed through a layer
   * above); called after the last byte, merged over `metadata`. For store layers like encryption.
   */
  trailingMetadata?: () => ObjectMetadata;
}

export interface PutResult {
  key: string;
  /** Bytes of the body as given. */
  size: number;
  /** Lowercase hex SHA-256 of the body as given, computed while it streamed. */
  sha256: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  /** Lowercase hex SHA-256 of the content; absent only for objects written by other tools. */
  sha256?: string;
  contentType: string;
  metadata: ObjectMetadata;
}

export interface OpenedObject {
  /** Read together with the body, so both describe one version even under concurrent writes. */
  info: ObjectInfo;
  /** The content; fails with ObjectIntegrityError at the end when it does not match `info`. */
  body: Readable;
}

export interface OpenOptions {
  /**
   * The caller authenticates every byte itself (authenticated encryption above this store): the store
   * still checks the size, but skips its own digest pass over the content.
   */
  contentAuthenticated?: boolean;
}

export interface ListOptions {
  /** Page size, 1..1000 (default 1000). */
  limit?: number;
  /** Only keys strictly after this one (the `next` of the previous page). */
  after?: string;
}

export interface ListPage {
  /** In ascending byte order. */
  keys: string[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

/**
 * Where large payloads live (archives, attachments); events carry their key and digest.
 * Keys: see `assertObjectKey`. Writes are all-or-nothing: a reader sees a complete old or new
 * version, never a mix; concurrent writers of one key — the last complete write wins.
 */
export interface ObjectStore {
  /** Streams the body in bounded memory; computes size and SHA-256 on the way. */
  put(key: string, body: Buffer | Uint8Array | Readable, options?: PutOptions): Promise<PutResult>;
  /** Throws ObjectNotFoundError when absent. */
  open(key: string, options?: OpenOptions): Promise<OpenedObject>;
  /** `open(key).body`. */
  get(key: string): Promise<Readable>;
  /** The whole object in memory; ObjectTooLargeError above `maxBytes` (default 16 MiB). */
  getBuffer(key: string, maxBytes?: number): Promise<Buffer>;
  head(key: string): Promise<ObjectInfo | undefined>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix` (any string a key may start with, '' for all). */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Resolves when the store is usable (readiness). */
  ping(): Promise<void>;
}

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
export const DEFAULT_GET_BUFFER_MAX_BYTES = 16 * 1024 * 1024;
export const MAX_LIST_LIMIT = 1000;
