import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreateTrainingSessions1732190000400 } from './1732190000400-create-training-sessions';
import { AddSessionMemory1732190000401 } from './1732190000401-add-session-memory';

/** Migrations of the `training` schema, in order. */
export const TRAINING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreateTrainingSessions1732190000400,
  AddSessionMemory1732190000401,
];
