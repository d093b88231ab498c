import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openServiceDataSource } from './service-data-source';

const databaseUrl = (): string => process.env.DATABASE_URL!;

describe('service data source', () => {
  const schema = `spec_${randomBytes(4).toString('hex')}`;

  class CreateWidgets implements MigrationInterface {
    name = 'CreateWidgets1732190000000';
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE "${schema}".widgets (id serial PRIMARY KEY, tenant_id text NOT NULL)`);
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}".widgets`);
    }
  }

  it('creates its schema, runs migrations once, and survives concurrent starts', async () => {
    const [a, b] = await Promise.all([
      openServiceDataSource(databaseUrl(), { schema, migrations: [CreateWidgets] }, 2),
      openServiceDataSource(databaseUrl(), { schema, migrations: [CreateWidgets] }, 2),
    ]);
    try {
      const applied = await a.query(`SELECT name FROM "${schema}".migrations`);
      expect(applied).toEqual([{ name: 'CreateWidgets1732190000000' }]);
      await b.query(`INSERT INTO "${schema}".widgets (tenant_id) VALUES ('t1')`);
      expect(await a.query(`SELECT count(*)::int AS n FROM "${schema}".widgets`)).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });

  // Against an external server (TEST_DATABASE_URL) the URL is the operator's: reported as skipped.
  const embeddedOnly = process.env.TEST_DATABASE_URL ? it.skip : it;
  embeddedOnly('reaches embedded Postgres over its Unix socket, TypeORM pools included', async () => {
    expect(new URL(databaseUrl()).searchParams.get('host')).toMatch(/^\//);
    const source = await openServiceDataSource(databaseUrl(), { schema, migrations: [] }, 1);
    try {
      // A Unix-socket session has no server address; a TCP one would show 127.0.0.1.
      expect(await source.query('SELECT inet_server_addr() AS address')).toEqual([{ address: null }]);
    } finally {
      await source.destroy();
    }
  });

  it('refuses schema names that could inject SQL', async () => {
    await expect(
      openServiceDataSource(databaseUrl(), { schema: 'x"; drop', migrations: [] }),
    ).rejects.toThrow(/invalid schema/);
  });
});
