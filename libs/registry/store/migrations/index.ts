import type { MigrationInterface } from 'typeorm';
import { CreateOutbox1732190000000 } from '@personae/messaging';
import { CreatePersonasAndDrafts1732190000200 } from './1732190000200-create-personas-and-drafts';
import { CreateVersionsAndChannels1732190000201 } from './1732190000201-create-versions-and-channels';

/** Migrations of the `registry` schema, in order. */
export const REGISTRY_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateOutbox1732190000000,
  CreatePersonasAndDrafts1732190000200,
  CreateVersionsAndChannels1732190000201,
];
