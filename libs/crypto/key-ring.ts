import { randomBytes } from 'node:crypto';

/**
 * Key-encryption keys (KEKs) by id. The current one wraps new data keys; older ones stay only to
 * unwrap what they wrapped before a rotation. Rotating = put a new id first, keep the old after it.
 */
export class KeyRing {
  private readonly keys: ReadonlyMap<string, Buffer>;
  readonly currentId: string;

  constructor(entries: ReadonlyArray<{ id: string; key: Uint8Array }>) {
    if (entries.length === 0) throw new KeyRingError('a key ring needs at least one key');
    const keys = new Map<string, Buffer>();
    for (const { id, key } of entries) {
      if (!KEK_ID.test(id)) throw new KeyRingError(`key id "${id}" must match ${KEK_ID.source}`);
      if (key.length !== 32)
        throw new KeyRingError(`key "${id}" must be 32 bytes (AES-256), got ${key.length}`);
      if (keys.has(id)) throw new KeyRingError(`key id "${id}" appears twice`);
      keys.set(id, Buffer.from(key));
    }
    this.keys = keys;
    this.currentId = entries[0]!.id;
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  get current(): { id: string; key: Buffer } {
    return { id: this.currentId, key: this.keys.get(this.currentId)! };
  }

  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  /** Never print key material, even by accident in a log line. */
  toJSON(): { currentId: string; ids: string[] } {
    return { currentId: this.currentId, ids: this.ids };
  }
}

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/** Ids are written into every ciphertext header, so short and plain. */
const KEK_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses `kid1:base64key,kid2:base64key` (first = current; whitespace around items ignored).
 * Errors name the item and never repeat key material, so the config validator can show them.
 */
export function parseKekConfig(text: string): KeyRing {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0)
    throw new KeyRingError('no key-encryption keys configured (expected "id:base64key,...")');
  return new KeyRing(
    items.map((item, i) => {
      const colon = item.indexOf(':');
      if (colon <= 0) throw new KeyRingError(`item ${i + 1} must look like "id:base64key"`);
      const id = item.slice(0, colon);
      const encoded = item.slice(colon + 1);
      const key = Buffer.from(encoded, 'base64');
      if (key.toString('base64') !== encoded && key.toString('base64url') !== encoded.replace(/=+$/, ''))
        throw new KeyRingError(`key "${id}" is not valid base64`);
      return { id, key };
    }),
  );
}

/** A fresh KEK config item, e.g. for `keys` CLI output or tests. */
export function generateKekConfigItem(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
