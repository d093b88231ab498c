import type { MigrationInterface } from 'typeorm';

/** Migrations of the `audit` schema, in order. */
export const AUDIT_MIGRATIONS: (new () => MigrationInterface)[] = [];
