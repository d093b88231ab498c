export * from './signer.module';
export * from './signer.service';
export { LOG_ORIGIN } from './domain/transparency-log';
export { KEY_PURPOSES, type KeyPurpose, type KeyStatus } from './domain/signing-keys';
export { IDENTITY_ROLES, type IdentityRole } from './domain/identities';
export { SIGNER_SCHEMA, SIGNER_DATABASE } from './store/signer-schema';
