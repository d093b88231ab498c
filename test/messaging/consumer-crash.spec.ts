import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { openServiceDataSource } from '@personae/persistence';
import { PostgresLogTransport, toOutgoingRecord } from '@personae/messaging';
import { databaseUrl, turn, uniqueName, waitFor } from './support';

const CHILD = join(__dirname, 'fixtures', 'crash-consumer.child.ts');
const KEYS = ['s0', 's1', 's2', 's3', 's4', 's5'];
const PER_KEY = 100;

interface Consumer {
  process: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

describe('consumer crash', () => {
  const logSchema = uniqueName('crashlog');
  const effectsSchema = uniqueName('crashfx');
  let effects: DataSource;
  let producer: PostgresLogTransport;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    effects = await openServiceDataSource(databaseUrl(), { schema: effectsSchema, migrations: [] }, 2);
    // No unique constraint on purpose: an event applied twice shows up as two rows.
    await effects.query(`CREATE TABLE "${effectsSchema}".effects (
      n bigserial PRIMARY KEY, event_id uuid NOT NULL, key text NOT NULL, seq int NOT NULL, pid int NOT NULL)`);
    producer = await PostgresLogTransport.open({
      url: databaseUrl(),
      schema: logSchema,
      partitions: 4,
      poolSize: 2,
    });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await producer?.close();
    await effects?.destroy();
  });

  function startConsumer(env: Record<string, string> = {}): Consumer {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CHILD], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, LOG_SCHEMA: logSchema, EFFECTS_SCHEMA: effectsSchema, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => lines.push(`stderr: ${line}`));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { process: child, lines, exited };
  }

  async function kill(consumer: Consumer): Promise<void> {
    consumer.process.kill('SIGKILL');
    await consumer.exited;
    expect(consumer.process.signalCode).toBe('SIGKILL');
  }

  const scalar = async (sql: string): Promise<number> => (await effects.query<{ n: number }[]>(sql))[0]!.n;
  const applied = (): Promise<number> => scalar(`SELECT count(*)::int AS n FROM "${effectsSchema}".effects`);
  const committed = (): Promise<number> =>
    scalar(
      `SELECT coalesce(sum(next_offset), 0)::int AS n FROM "${logSchema}".consumer_offsets WHERE group_name = 'crash-test'`,
    );

  it('loses no event and applies none twice when consumers are SIGKILLed mid-stream', async () => {
    const events = KEYS.flatMap((key) => Array.from({ length: PER_KEY }, (_, seq) => turn(key, seq)));
    const firstHalf = events.filter(
      (event) => Number(event.payload.event.value!.turnId.split('#')[1]) < PER_KEY / 2,
    );
    const secondHalf = events.filter((event) => !firstHalf.includes(event));
    await producer.append(firstHalf.map(toOutgoingRecord));

    // 1. Stalls mid-batch after 100 effects: some applied effects are not yet committed offsets.
    const first = startConsumer({ STALL_AFTER: '100' });
    await waitFor(
      () => first.lines.includes('stalled'),
      20_000,
      () => first.lines.join('\n'),
    );
    await kill(first);
    const appliedAtKill = await applied();
    expect(appliedAtKill).toBeGreaterThanOrEqual(100);
    expect(await committed()).toBeLessThan(appliedAtKill);

    // 2. Restarted; the rest is published while it runs; killed again at an arbitrary moment.
    const second = startConsumer();
    await waitFor(
      () => second.lines.includes('ready'),
      20_000,
      () => second.lines.join('\n'),
    );
    await producer.append(secondHalf.map(toOutgoingRecord));
    await waitFor(
      async () => (await applied()) >= appliedAtKill + 150,
      20_000,
      async () => `applied ${await applied()}`,
    );
    await kill(second);

    // 3. Restarted once more: finishes the stream.
    const third = startConsumer();
    await waitFor(
      async () => (await applied()) >= events.length,
      30_000,
      async () => `applied ${await applied()} of ${events.length}`,
    );
    await waitFor(
      async () => (await committed()) === events.length,
      10_000,
      async () => `committed ${await committed()}`,
    );
    third.process.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    const rows = await effects.query<{ event_id: string; key: string; seq: number }[]>(
      `SELECT event_id, key, seq FROM "${effectsSchema}".effects ORDER BY n`,
    );
    expect(rows).toHaveLength(events.length);
    expect(rows.map((row) => row.event_id).sort()).toEqual(events.map((event) => event.id).sort());
    for (const key of KEYS) {
      expect(rows.filter((row) => row.key === key).map((row) => row.seq)).toEqual(
        Array.from({ length: PER_KEY }, (_, i) => i),
      );
    }
    const appliedBy = await effects.query<{ n: number }[]>(
      `SELECT count(DISTINCT pid)::int AS n FROM "${effectsSchema}".effects`,
    );
    expect(appliedBy[0]!.n).toBe(3);
  }, 60_000);
});
