import type { MigrationInterface } from 'typeorm';

/** Migrations of the `training` schema, in order. */
export const TRAINING_MIGRATIONS: (new () => MigrationInterface)[] = [];
