export * from './object-store.port';
export * from './object-store.errors';
export { assertObjectKey, assertObjectPrefix, MAX_OBJECT_KEY_LENGTH } from './object-key';
export { MAX_METADATA_BYTES, RESERVED_METADATA_PREFIX } from './object-metadata';
export { FilesystemObjectStore, type FilesystemObjectStoreOptions } from './filesystem-object-store';
export { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store';
export { EncryptedObjectStore, type EncryptedObjectStoreOptions } from './encrypted-object-store';
export { openObjectStore, type ObjectStoreOptions } from './open-object-store';
export { StorageModule } from './storage.module';
