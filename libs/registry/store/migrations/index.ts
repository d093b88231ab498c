import type { MigrationInterface } from 'typeorm';

/** Migrations of the `registry` schema, in order. */
export const REGISTRY_MIGRATIONS: (new () => MigrationInterface)[] = [];
