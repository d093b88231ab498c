import type { MigrationInterface } from 'typeorm';

/** Migrations of the `runtime` schema, in order. */
export const RUNTIME_MIGRATIONS: (new () => MigrationInterface)[] = [];
