import { openServiceDataSource } from '@personae/persistence';
import { CreateEventLog1732190000000 } from './migrations/1732190000000-create-event-log';
import { CreateConsumerGroups1732190000001 } from './migrations/1732190000001-create-consumer-groups';
import { CreateAppendFunction1732190000002 } from './migrations/1732190000002-create-append-function';

/** Default schema of the event log and consumer-group state. */
export const MESSAGING_SCHEMA = 'messaging';

export const MESSAGING_MIGRATIONS = [
  CreateEventLog1732190000000,
  CreateConsumerGroups1732190000001,
  CreateAppendFunction1732190000002,
];

const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Validated once here, because the name is interpolated into SQL everywhere else. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name ${schema}`);
  return schema;
}

/** Creates the messaging schema and runs its migrations (safe when several processes start at once). */
export async function migrateMessagingSchema(url: string, schema: string = MESSAGING_SCHEMA): Promise<void> {
  const dataSource = await openServiceDataSource(
    url,
    { schema: assertSchemaName(schema), migrations: MESSAGING_MIGRATIONS },
    2,
  );
  await dataSource.destroy();
}
