import type { MigrationInterface } from 'typeorm';
import { CreateKnowledge1732190000500 } from './1732190000500-create-knowledge';

export const KNOWLEDGE_SCHEMA = 'knowledge';

/** Migrations of the `knowledge` schema, in order. */
export const KNOWLEDGE_MIGRATIONS: (new () => MigrationInterface)[] = [CreateKnowledge1732190000500];
