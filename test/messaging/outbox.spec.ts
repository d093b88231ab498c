import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openServiceDataSource } from '@personae/persistence';
import {
  CreateOutbox1732190000000,
  EventPublisher,
  OutboxRelay,
  PgListener,
  PostgresLogTransport,
  type DeliveredRecord,
} from '@personae/messaging';
import { databaseUrl, delay, turn, uniqueName, waitFor } from './support';

class CreateSessions1732190000001 implements MigrationInterface {
  name = 'CreateSessions1732190000001';
  async up(runner: QueryRunner): Promise<void> {
    const schema = (runner.connection.options as { schema: string }).schema;
    await runner.query(`CREATE TABLE "${schema}".sessions (id text PRIMARY KEY, status text NOT NULL)`);
  }
  async down(): Promise<void> {}
}

describe('transactional outbox', () => {
  const publisher = new EventPublisher();
  let schema: string;
  let service: DataSource;
  let log: PostgresLogTransport;
  let listener: PgListener;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    schema = uniqueName('svc');
    service = await openServiceDataSource(
      databaseUrl(),
      { schema, migrations: [CreateOutbox1732190000000, CreateSessions1732190000001] },
      4,
    );
    log = await PostgresLogTransport.open({
      url: databaseUrl(),
      schema: uniqueName('outboxlog'),
      partitions: 2,
      poolSize: 4,
    });
    listener = new PgListener(databaseUrl());
    await listener.start();
    closers.push(
      () => service.destroy(),
      () => log.close(),
      () => listener.close(),
    );
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const relay = (options: { pollIntervalMs?: number } = {}): OutboxRelay =>
    new OutboxRelay(service, (records) => log.append(records), listener, { schema, ...options });

  async function startSession(id: string, fail = false): Promise<void> {
    await service.transaction(async (manager) => {
      await manager.query(`INSERT INTO "${schema}".sessions VALUES ($1, 'open')`, [id]);
      await publisher.publish(manager, {
        topic: 'training.session',
        key: id,
        tenantId: 'tenant-a',
        actor: { kind: 'trainer', id: 'trainer-1' },
        payload: {
          event: { case: 'started', value: { sessionId: id, trainerId: 'trainer-1', mode: 'TRAINING' } },
        },
      });
      if (fail) throw new Error('the use case failed after publishing');
    });
  }

  const count = async (table: string): Promise<number> =>
    (await service.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${schema}".${table}`))[0]!.n;

  it('commits the event with the state change, and a rollback leaves neither', async () => {
    await startSession('s-commit');
    await expect(startSession('s-rollback', true)).rejects.toThrow(/failed after publishing/);
    expect(await service.query(`SELECT id FROM "${schema}".sessions`)).toEqual([{ id: 's-commit' }]);
    const outbox = await service.query<{ key: string; topic: string }[]>(
      `SELECT key, topic FROM "${schema}".outbox`,
    );
    expect(outbox).toEqual([{ key: 's-commit', topic: 'training.session' }]);

    expect(await relay().relayOnce()).toBe(1);
    expect(await count('outbox')).toBe(0);
    const records = await log.read('training.session', log.partitionOf('s-commit'), 0);
    expect(records.map((record) => record.key)).toEqual(['s-commit']);
    expect(records[0]!.headers).toMatchObject({ 'tenant-id': 'tenant-a', type: 'training.session.started' });
  });

  it('refuses to publish outside a transaction', async () => {
    await expect(publisher.publishEnvelope(service.manager, turn('no-transaction', 0))).rejects.toThrow(
      /inside a transaction/,
    );
  });

  it('relays on NOTIFY, without waiting for the poll', async () => {
    const running = relay({ pollIntervalMs: 60_000 });
    await running.start();
    closers.push(() => running.stop());
    await delay(100);
    const started = Date.now();
    await startSession('s-notified');
    await waitFor(
      async () => (await log.read('training.session', log.partitionOf('s-notified'), 0)).length === 1,
      3000,
      () => 'not relayed',
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps per-key order with two relays on one schema', async () => {
    const relays = [relay({ pollIntervalMs: 50 }), relay({ pollIntervalMs: 50 })];
    for (const r of relays) await r.start();
    closers.push(() => Promise.all(relays.map((r) => r.stop())).then(() => undefined));
    const keys = ['k1', 'k2', 'k3'];
    const writers = keys.map(async (key) => {
      for (let seq = 0; seq < 40; seq++) {
        await service.transaction((manager) => publisher.publishEnvelope(manager, turn(key, seq)));
      }
    });
    await Promise.all(writers);
    await waitFor(
      async () => (await count('outbox')) === 0,
      5000,
      () => 'outbox not emptied',
    );
    for (const key of keys) {
      const records: DeliveredRecord[] = (
        await log.read('training.conversation', log.partitionOf(key), 0, 1000)
      ).filter((r) => r.key === key);
      const seqs = records.map((record) =>
        Number(
          (JSON.parse(record.value) as { payload: { turn: { turnId: string } } }).payload.turn.turnId.split(
            '#',
          )[1],
        ),
      );
      expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
  });

  it('drains the outbox on stop (graceful shutdown)', async () => {
    const idle = relay({ pollIntervalMs: 60_000 });
    for (let i = 0; i < 3; i++) await startSession(`s-drain-${i}`);
    expect(await count('outbox')).toBe(3);
    await idle.stop();
    expect(await count('outbox')).toBe(0);
    expect(await idle.pending()).toBe(0);
  });

  it('does not compile a payload that does not fit its topic', () => {
    const wrongShape = (manager: Parameters<EventPublisher['publish']>[0]): Promise<unknown> =>
      publisher.publish(manager, {
        topic: 'training.session',
        key: 'k',
        tenantId: 't',
        actor: { kind: 'trainer', id: 'x' },
        // @ts-expect-error 'turn' is a training.conversation event, not a training.session one
        payload: { event: { case: 'turn', value: { turnId: 't' } } },
      });
    expect(typeof wrongShape).toBe('function');
  });
});
