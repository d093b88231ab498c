import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { request } from 'undici';

/**
 * The floor under an execution over HTTP on this machine: a bare `node:http` server doing the same
 * I/O as one and nothing else. It reads a row with a JSON document by key, calls the model server, and
 * commits one write of a receipt's size (a counter update and an insert, fsync'd) before it answers.
 * It does no auth, governance, prompt, signing or events, and has no framework.
 *
 * It answers with the same `Server-Timing` as the runtime (model;dur, runtime;dur, store;dur), so the
 * same load generator measures both. Its overhead is what any durable execution pays here: the part
 * of the runtime's target that the platform's own work cannot get under.
 */
export async function startExecuteFloor(
  databaseUrl: string,
  modelUrl: string,
): Promise<{ origin: string; paths: string[]; stop: () => Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 20 });
  await pool.query(
    `CREATE TABLE bench_floor_instances (id int PRIMARY KEY, doc jsonb NOT NULL, requests int NOT NULL DEFAULT 0)`,
  );
  await pool.query(
    `CREATE TABLE bench_floor_records (id bigserial PRIMARY KEY, instance_id int NOT NULL, receipt jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now())`,
  );
  await pool.query(`CREATE INDEX ON bench_floor_records (instance_id, created_at)`);
  await pool.query(
    `INSERT INTO bench_floor_instances
       SELECT g, jsonb_build_object('ref', 'bench_plain.v1', 'state', '{}'::jsonb) FROM generate_series(0, 255) g`,
  );
  const receipt = JSON.stringify({ receipt: 'r'.repeat(1500) });
  const chatUrl = `${modelUrl}/chat/completions`;

  const serve = async (path: string, body: string): Promise<string> => {
    const started = performance.now();
    const id = Number(path.slice(path.lastIndexOf('/') + 1)) % 256;
    await pool.query('SELECT id, doc, requests FROM bench_floor_instances WHERE id = $1', [id]);
    const read = performance.now() - started;
    const modelStarted = performance.now();
    const { input } = JSON.parse(body) as { input: string };
    const answer = await request(chatUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: input }] }),
    });
    await answer.body.text();
    const model = performance.now() - modelStarted;
    const writeStarted = performance.now();
    await pool.query(
      `WITH counted AS (UPDATE bench_floor_instances SET requests = requests + 1 WHERE id = $1)
       INSERT INTO bench_floor_records (instance_id, receipt) VALUES ($1, $2)`,
      [id, receipt],
    );
    const store = read + performance.now() - writeStarted;
    return `model;dur=${model.toFixed(3)}, runtime;dur=${(performance.now() - started - model).toFixed(3)}, store;dur=${store.toFixed(3)}`;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      serve(req.url ?? '/', Buffer.concat(chunks).toString()).then(
        (timing) =>
          res.writeHead(200, { 'content-type': 'application/json', 'server-timing': timing }).end('{}'),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    paths: Array.from({ length: 256 }, (_, i) => `/floor/${i}`),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
