import type { QueryRunner } from 'typeorm';

/** The schema of the data source a migration runs in, so one migration class serves any schema. */
export function schemaOf(runner: QueryRunner): string {
  const schema = (runner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('messaging migrations run in a data source with an explicit schema');
  return schema;
}
