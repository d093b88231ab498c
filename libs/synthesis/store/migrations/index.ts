import type { MigrationInterface } from 'typeorm';

/** Migrations of the `synthesis` schema, in order. */
export const SYNTHESIS_MIGRATIONS: (new () => MigrationInterface)[] = [];
