import type { ObjectMetadata } from './object-store.port';
import { InvalidObjectMetadataError } from './object-store.errors';

const METADATA_KEY = /^[a-z][a-z0-9-]{0,62}$/;
/** Non-empty, no surrounding spaces: HTTP trims header values and may drop empty ones. */
const METADATA_VALUE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;
/** Names S3 clients read as standard headers once the `x-amz-meta-` prefix is gone. */
const HEADER_NAMES = new Set([
  'content-type',
  'cache-control',
  'content-encoding',
  'content-disposition',
  'content-language',
  'content-length',
  'expires',
  'etag',
  'last-modified',
  'if-match',
  'if-none-match',
]);
/** S3 allows 2 KB of user metadata in all; half is left to the store layers' own fields. */
export const MAX_METADATA_BYTES = 1024;
const CONTENT_TYPE =
  /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9!#$&^_.+-]+=("[\x20-\x21\x23-\x7e]*"|[a-z0-9!#$&^_.+-]+))*$/i;

/** Keys starting with this belong to store layers (digests, encryption); callers may not set them. */
export const RESERVED_METADATA_PREFIX = 'personae-';

export function assertMetadata(metadata: ObjectMetadata, options: { allowReserved?: boolean } = {}): void {
  let userBytes = 0;
  let layerBytes = 0;
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key))
      throw new InvalidObjectMetadataError(
        `metadata key ${JSON.stringify(key.slice(0, 64))} must match ${METADATA_KEY.source}`,
      );
    if (HEADER_NAMES.has(key) || key.startsWith('x-amz-'))
      throw new InvalidObjectMetadataError(`metadata key "${key}" is an HTTP header name`);
    const reserved = key.startsWith(RESERVED_METADATA_PREFIX);
    if (reserved && !options.allowReserved)
      throw new InvalidObjectMetadataError(
        `metadata keys starting with "${RESERVED_METADATA_PREFIX}" are reserved`,
      );
    if (typeof value !== 'string' || !METADATA_VALUE.test(value))
      throw new InvalidObjectMetadataError(
        `metadata "${key}" must be non-empty printable ASCII without surrounding spaces`,
      );
    if (reserved) layerBytes += key.length + value.length;
    else userBytes += key.length + value.length;
  }
  if (userBytes > MAX_METADATA_BYTES || layerBytes > MAX_METADATA_BYTES)
    throw new InvalidObjectMetadataError(`metadata is larger than ${MAX_METADATA_BYTES} bytes`);
}

export function assertContentType(contentType: string | undefined): void {
  if (contentType === undefined) return;
  if (contentType.length > 200 || !CONTENT_TYPE.test(contentType))
    throw new InvalidObjectMetadataError('content type must look like "type/subtype[; param=value]"');
}

/** Metadata without the store layers' reserved fields. */
export function userMetadata(metadata: ObjectMetadata): ObjectMetadata {
  return Object.fromEntries(
    Object.entries(metadata).filter(([key]) => !key.startsWith(RESERVED_METADATA_PREFIX)),
  );
}
