import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreateLedger1732190000700 } from './1732190000700-create-ledger';

/** Migrations of the `audit` schema, in order. The outbox carries audit.checkpoints. */
export const AUDIT_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreateLedger1732190000700,
];
