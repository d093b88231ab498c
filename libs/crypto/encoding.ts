/**
 * Strict decoders for bytes that arrive inside signed or signed-over documents. Lenient decoding
 * (Node's Buffer.from ignores stray characters, accepts both base64 alphabets and any padding)
 * would let two different strings mean the same bytes, so only the one canonical spelling passes.
 */
export class EncodingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncodingError';
  }
}

/** Standard base64 with padding (RFC 4648 §4), the form protobuf JSON and DSSE producers emit. */
export function decodeBase64(text: unknown, what: string, maxBytes: number): Buffer {
  if (typeof text !== 'string') throw new EncodingError(`${what} must be a base64 string`);
  if (text.length > Math.ceil(maxBytes / 3) * 4) throw new EncodingError(`${what} exceeds ${maxBytes} bytes`);
  const bytes = Buffer.from(text, 'base64');
  // Re-encoding is the cheapest complete check: any whitespace, url-safe character, missing
  // padding or non-zero trailing bits changes the round trip.
  if (bytes.toString('base64') !== text) throw new EncodingError(`${what} is not canonical standard base64`);
  return bytes;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A SHA-256 digest as 64 lowercase hex characters (the in-toto DigestSet spelling). */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

export function decodeSha256Hex(value: unknown, what: string): Buffer {
  if (!isSha256Hex(value)) throw new EncodingError(`${what} must be 64 lowercase hex characters`);
  return Buffer.from(value, 'hex');
}

/** Non-negative safe integer written in decimal without sign or leading zeros (proto3 int64 JSON). */
export function parseUint(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new EncodingError(`${what} must be a non-negative integer`);
}

/** A JSON object (not null, not an array): the first check on every untrusted document. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
