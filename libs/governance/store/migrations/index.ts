import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreateGovernanceTables1732190000400 } from './1732190000400-create-governance-tables';

/** Migrations of the `governance` schema, in order. */
export const GOVERNANCE_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreateGovernanceTables1732190000400,
];
