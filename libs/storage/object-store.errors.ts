/** Base of every error an object store throws on purpose; `key` is safe to log. */
export class ObjectStoreError extends Error {
  constructor(
    message: string,
    readonly key?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidObjectKeyError extends ObjectStoreError {}

export class InvalidObjectMetadataError extends ObjectStoreError {}

export class ObjectNotFoundError extends ObjectStoreError {
  constructor(key: string) {
    super(`object "${key}" does not exist`, key);
  }
}

export class ObjectTooLargeError extends ObjectStoreError {
  constructor(
    key: string | undefined,
    readonly maxBytes: number,
  ) {
    super(`object${key ? ` "${key}"` : ''} is larger than ${maxBytes} bytes`, key);
  }
}

/** The stored bytes or their metadata do not match what was written: corruption or tampering. */
export class ObjectIntegrityError extends ObjectStoreError {}
