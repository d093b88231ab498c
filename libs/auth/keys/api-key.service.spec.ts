import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openServiceDataSource } from '@personae/persistence';
import { TenantScopedRepository } from '../domain/tenant-scope';
import { ApiKeyEntity } from '../store/api-key.entity';
import { AUTH_DATABASE } from '../store/auth-schema';
import { formatAdminKeyBanner } from './admin-bootstrap';
import { ApiKeyService } from './api-key.service';

const tenant = (): string => `t-${randomBytes(5).toString('hex')}`;

describe('ApiKeyService on Postgres', () => {
  let dataSource: DataSource;
  let keys: ApiKeyService;

  beforeAll(async () => {
    dataSource = await openServiceDataSource(process.env.DATABASE_URL!, AUTH_DATABASE, 4);
    keys = new ApiKeyService(dataSource);
  });
  afterAll(() => dataSource.destroy());

  it('mints a key whose token verifies to its tenant and role, and stores only a hash', async () => {
    const acme = tenant();
    const { key, token } = await keys.mint({
      tenantId: acme,
      role: 'reviewer',
      label: ' reviews ',
      createdBy: 'test',
    });
    expect(key).toMatchObject({
      tenantId: acme,
      role: 'reviewer',
      label: 'reviews',
      createdBy: 'test',
      revokedAt: null,
    });
    expect(token.startsWith(`${key.prefix}_`)).toBe(true);
    expect(await keys.verify(token)).toEqual({
      subject: `apikey:${key.id}`,
      tenantId: acme,
      role: 'reviewer',
      via: 'api-key',
      keyId: key.id,
    });

    const [row] = await dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM auth.api_keys WHERE id = $1',
      [key.id],
    );
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(token.slice(key.prefix.length + 1));
    expect((row!.secret_hash as Buffer).length).toBe(32);
  });

  it('refuses wrong secrets, unknown ids and revoked keys', async () => {
    const acme = tenant();
    const { key, token } = await keys.mint({
      tenantId: acme,
      role: 'trainer',
      label: 'x',
      createdBy: 'test',
    });
    const wrong = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(await keys.verify(wrong)).toBeUndefined();
    expect(await keys.verify(`pk_${'0'.repeat(32)}_${token.slice(-43)}`)).toBeUndefined();
    expect(await keys.verify('pk_garbage')).toBeUndefined();
    // Verified once (and so cached): a wrong secret for a cached key is still refused.
    expect(await keys.verify(token)).toBeDefined();
    expect(await keys.verify(wrong)).toBeUndefined();

    expect((await keys.revoke(key.id, acme, 'admin-1'))?.revokedBy).toBe('admin-1');
    expect(await keys.verify(token)).toBeUndefined();
    // Idempotent: the first revocation stays on record.
    expect((await keys.revoke(key.id, acme, 'admin-2'))?.revokedBy).toBe('admin-1');
  });

  it('stops accepting a key revoked by another process within two seconds', async () => {
    const acme = tenant();
    const { key, token } = await keys.mint({
      tenantId: acme,
      role: 'trainer',
      label: 'x',
      createdBy: 'test',
    });
    const otherProcess = new ApiKeyService(dataSource);
    expect(await otherProcess.verify(token)).toBeDefined();
    await keys.revoke(key.id, acme, 'admin');
    const revokedAt = Date.now();
    while ((await otherProcess.verify(token)) !== undefined) await new Promise((r) => setTimeout(r, 50));
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(2_100);
  });

  it('never lists, revokes or counts another tenant’s keys', async () => {
    const [acme, globex] = [tenant(), tenant()];
    const a = await keys.mint({ tenantId: acme, role: 'trainer', label: 'a', createdBy: 'test' });
    const b = await keys.mint({ tenantId: globex, role: 'trainer', label: 'b', createdBy: 'test' });
    expect((await keys.list(acme)).map((k) => k.id)).toEqual([a.key.id]);
    expect(await keys.revoke(a.key.id, globex, 'intruder')).toBeUndefined();
    expect(await keys.revoke('not-a-uuid', acme, 'test')).toBeUndefined();
    expect(await keys.verify(a.token)).toBeDefined();

    const scoped = new TenantScopedRepository(dataSource.getRepository(ApiKeyEntity));
    expect(await scoped.for({ tenantId: globex }).count()).toBe(1);
    expect(await scoped.for({ tenantId: globex }).delete({ id: a.key.id })).toBe(0);
    expect(
      await scoped
        .for({ tenantId: globex })
        .queryBuilder('k')
        .andWhere('k.id IN (:...ids)', { ids: [a.key.id, b.key.id] })
        .getCount(),
    ).toBe(1);
    await expect(scoped.for({ tenantId: globex }).get({ id: a.key.id }, 'API key')).rejects.toThrow(
      'API key not found',
    );
    // A patch cannot move a record to another tenant.
    expect(
      await scoped.for({ tenantId: acme }).update({ id: a.key.id }, { tenantId: globex, label: 'moved?' }),
    ).toBe(1);
    expect((await keys.list(acme))[0]).toMatchObject({ id: a.key.id, tenantId: acme, label: 'moved?' });
  });

  it('lists newest first without hashes', async () => {
    const acme = tenant();
    const first = await keys.mint({ tenantId: acme, role: 'trainer', label: 'first', createdBy: 'test' });
    const second = await keys.mint({ tenantId: acme, role: 'auditor', label: 'second', createdBy: 'test' });
    const list = await keys.list(acme);
    expect(list.map((k) => k.id)).toEqual([second.key.id, first.key.id]);
    for (const key of list) expect(Object.keys(key)).not.toContain('secretHash');
  });

  it('records last use at most once a minute', async () => {
    const acme = tenant();
    const { key, token } = await keys.mint({
      tenantId: acme,
      role: 'trainer',
      label: 'x',
      createdBy: 'test',
    });
    await keys.verify(token);
    const first = (await keys.list(acme))[0]!.lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await keys.verify(token);
    expect((await keys.list(acme))[0]!.lastUsedAt).toEqual(first);
    await dataSource.query(
      `UPDATE auth.api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = $1`,
      [key.id],
    );
    // A process whose cache no longer holds the key reads the row again, and refreshes the hint.
    await new ApiKeyService(dataSource).verify(token);
    expect((await keys.list(acme))[0]!.lastUsedAt!.getTime()).toBeGreaterThan(Date.now() - 30_000);
  });

  it('refuses to mint for a malformed tenant, role or label', async () => {
    await expect(
      keys.mint({ tenantId: 'Bad Tenant', role: 'trainer', label: 'x', createdBy: 't' }),
    ).rejects.toThrow(/tenant/);
    await expect(
      keys.mint({ tenantId: tenant(), role: 'root' as never, label: 'x', createdBy: 't' }),
    ).rejects.toThrow(/role/);
    await expect(
      keys.mint({ tenantId: tenant(), role: 'trainer', label: '   ', createdBy: 't' }),
    ).rejects.toThrow(/label/);
  });
});

describe('admin key bootstrap', () => {
  // Bootstrap looks at every tenant, so it runs in a database of its own.
  const database = `auth_boot_${randomBytes(4).toString('hex')}`;
  let url: string;
  const admin = new Client({ connectionString: process.env.DATABASE_URL });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const parsed = new URL(process.env.DATABASE_URL!);
    parsed.pathname = `/${database}`;
    url = parsed.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('mints exactly one admin key even when processes start together, and again only when none is active', async () => {
    const sources = await Promise.all([1, 2, 3, 4].map(() => openServiceDataSource(url, AUTH_DATABASE, 2)));
    try {
      const services = sources.map((ds) => new ApiKeyService(ds));
      const results = await Promise.all(services.map((s) => s.bootstrapAdmin('default')));
      const minted = results.filter((r) => r !== undefined);
      expect(minted).toHaveLength(1);
      expect(minted[0]!.key).toMatchObject({
        tenantId: 'default',
        role: 'admin',
        createdBy: 'system:bootstrap',
      });
      expect(await services[0]!.verify(minted[0]!.token)).toMatchObject({
        role: 'admin',
        tenantId: 'default',
      });
      expect(await services[1]!.bootstrapAdmin('default')).toBeUndefined();
      const banner = formatAdminKeyBanner(minted[0]!.token, 'default');
      expect(banner.split(minted[0]!.token)).toHaveLength(2);
      expect(banner).toMatch(/shown only this once/);

      // A revoked admin key does not count: the next start recovers with a new one.
      await services[0]!.revoke(minted[0]!.key.id, 'default', 'test');
      const again = await services[2]!.bootstrapAdmin('default');
      expect(again?.key.role).toBe('admin');
      expect(again?.token).not.toBe(minted[0]!.token);
    } finally {
      await Promise.all(sources.map((ds) => ds.destroy()));
    }
  });
});
