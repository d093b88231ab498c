import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '@personae/service-kit';
import { SERVICES } from '../../apps/platform/service-catalog';
import { createTestDatabase } from '../setup/test-database';

/** The whole platform in one process, as `npm start` runs it, on the test run's Postgres. */
describe('platform over real HTTP', () => {
  let platform: RunningService;
  let adminKey: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'personae-platform-'));
  const output: string[] = [];

  beforeAll(async () => {
    const databaseUrl = await createTestDatabase('platform_e2e');
    const write = process.stdout.write.bind(process.stdout);
    // The admin key is printed once on stdout; capture it like an operator reading the console.
    process.stdout.write = (chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    };
    try {
      platform = await startService(
        {
          name: 'platform',
          description: 'test',
          defaultPort: 0,
          modules: SERVICES.flatMap((s) => s.modules),
        },
        {
          DATABASE_URL: databaseUrl,
          DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'silent',
          BOOTSTRAP_TENANT: 'platform-e2e',
        },
      );
    } finally {
      process.stdout.write = write;
    }
    const match = /pk_[A-Za-z0-9_-]+/.exec(output.join(''));
    adminKey = match?.[0] ?? '';
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (path: string, token?: string) =>
    fetch(`${platform.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('is live and ready, with every service schema and the bus checked', async () => {
    expect((await get('/health/live')).status).toBe(200);
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    for (const schema of [
      'registry',
      'training',
      'synthesis',
      'governance',
      'runtime',
      'signer',
      'audit',
      'auth',
    ]) {
      expect(body.checks[`database:${schema}`]).toEqual({ ok: true });
    }
    expect(body.checks.bus?.ok).toBe(true);
  });

  it('serves OpenAPI at /docs and /docs-json, and Prometheus metrics', async () => {
    expect(await (await get('/docs')).text()).toContain('swagger');
    const spec = (await (await get('/docs-json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/v1/auth/keys');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('personae_http_request_duration_seconds');
    expect(metrics).toContain('personae_process_cpu_seconds_total');
  });

  it('printed an admin key on first start that authenticates', async () => {
    expect(adminKey).toMatch(/^pk_/);
    const whoami = await get('/v1/auth/whoami', adminKey);
    expect(whoami.status).toBe(200);
    expect(await whoami.json()).toMatchObject({ role: 'admin', tenantId: 'platform-e2e' });
  });

  it('requires a bearer token everywhere but health, metrics and docs', async () => {
    const response = await get('/v1/auth/whoami');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await get('/v1/auth/whoami', 'pk_nope_nope')).status).toBe(401);
  });

  it('answers unknown routes with a JSON 404 and a correlation id', async () => {
    const response = await fetch(`${platform.url}/v1/nothing-here`, {
      headers: { 'x-correlation-id': 'corr-123' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-correlation-id')).toBe('corr-123');
    expect(await response.json()).toMatchObject({
      statusCode: 404,
      error: 'Not Found',
      correlationId: 'corr-123',
    });
  });

  describe('bad input', () => {
    const post = (body: string, contentType = 'application/json') =>
      fetch(`${platform.url}/v1/auth/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': contentType },
        body,
      });

    it('rejects malformed JSON with 400 and no stack trace', async () => {
      const response = await post('{"role": ');
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ statusCode: 400, message: 'malformed JSON in request body' });
      expect(text).not.toMatch(/at .*\.js:\d+/);
    });

    it('names unknown fields and wrong types', async () => {
      const response = await post(JSON.stringify({ role: 42, label: 'x', surprise: true }));
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { field: string; reason: string }[] };
      expect(body.errors).toEqual(
        expect.arrayContaining([
          { field: 'surprise', reason: 'unknown field' },
          expect.objectContaining({ field: 'role' }),
        ]),
      );
    });

    it('refuses oversized bodies with 413', async () => {
      const response = await post(JSON.stringify({ role: 'trainer', label: 'x'.repeat(2 * 1024 * 1024) }));
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ statusCode: 413 });
    });
  });
});
