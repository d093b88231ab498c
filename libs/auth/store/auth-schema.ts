import type { ServiceDatabaseOptions } from '@personae/persistence';
import { ApiKeyEntity } from './api-key.entity';
import { CreateApiKeys1732190000100 } from './migrations/1732190000100-create-api-keys';

/** The `auth` schema: owned by this library, opened like every service schema. */
export const AUTH_SCHEMA = 'auth';

export const AUTH_DATABASE: ServiceDatabaseOptions = {
  schema: AUTH_SCHEMA,
  migrations: [CreateApiKeys1732190000100],
  entities: [ApiKeyEntity],
};
