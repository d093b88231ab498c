import type { MigrationInterface } from 'typeorm';

/** Migrations of the `signer` schema, in order. */
export const SIGNER_MIGRATIONS: (new () => MigrationInterface)[] = [];
