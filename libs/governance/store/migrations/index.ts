import type { MigrationInterface } from 'typeorm';

/** Migrations of the `governance` schema, in order. */
export const GOVERNANCE_MIGRATIONS: (new () => MigrationInterface)[] = [];
