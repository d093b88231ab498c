import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreateSessionEventsAndRuns1732190000400 } from './1732190000400-create-session-events-and-runs';

/** Migrations of the `synthesis` schema, in order. */
export const SYNTHESIS_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreateSessionEventsAndRuns1732190000400,
];
