import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreateRuntime1732190000700 } from './1732190000700-create-runtime';

/** Migrations of the `runtime` schema, in order. */
export const RUNTIME_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreateRuntime1732190000700,
];
