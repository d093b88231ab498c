import { DataSource, type MigrationInterface, type MixedList, type EntitySchema } from 'typeorm';

export interface ServiceDatabaseOptions {
  /** The Postgres schema this service owns; no other service writes to it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  migrations: (new () => MigrationInterface)[];
}

const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** A TypeORM data source confined to one service's schema. Migrations only: never synchronize. */
export function createServiceDataSource(
  url: string,
  options: ServiceDatabaseOptions,
  poolSize = 10,
): DataSource {
  if (!SCHEMA_NAME.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
  return new DataSource({
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities ?? [],
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // Migrations hold a lock on one connection while running on another: two at least.
    extra: { max: Math.max(2, poolSize), application_name: `personae:${options.schema}` },
  });
}

/**
 * Creates the schema and runs pending migrations. Several processes may start at once
 * against one database, so the run is serialised by an advisory lock per schema.
 */
export async function migrateServiceSchema(dataSource: DataSource, schema: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`personae:migrate:${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`personae:migrate:${schema}`]);
    }
  } finally {
    await runner.release();
  }
}

/** Opens and migrates a service's data source. */
export async function openServiceDataSource(
  url: string,
  options: ServiceDatabaseOptions,
  poolSize = 10,
): Promise<DataSource> {
  const dataSource = createServiceDataSource(url, options, poolSize);
  await dataSource.initialize();
  try {
    await migrateServiceSchema(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
