import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CHECKPOINT_PAYLOAD_TYPE,
  checkCheckpointSignature,
  verifyExport,
  type SignedCheckpoint,
  type VerificationReport,
} from '@personae/audit';
import { parseTrustedKeys } from '../../libs/audit/cli/verify-command';
import { LedgerRepository } from '../../libs/audit/store/ledger.repository';
import { AppendEvents } from '../../libs/audit/use-cases/append-events.use-case';
import { call, eventually, type Credential, type Platform } from '../registry/support';
import type { TestEventProducer } from './event-producer.module';
import { bootScenario, checkpointEvents, type Page, type Scenario } from './scenario';
import { ledgerRow, tamper, tryAsOwner } from './support';

/**
 * Tamper evidence over a real lifecycle: the database refuses changes to ledger rows; a row changed,
 * deleted or reordered by a privileged connection is named by verification at its position, and
 * so is any edit of an exported file, checked offline with the public key alone.
 */
describe('audit ledger: append-only, checkpoints, verification, export', () => {
  let workDir = '';
  let platform: Platform;
  let producer: TestEventProducer;
  let tenant = '';
  let name = '';
  let sessionId = '';
  let auditor: Credential;
  let scenario: Scenario;
  const get = <T = Page>(path: string, status = 200, as?: Credential): Promise<T> =>
    scenario.get<T>(path, status, as);
  const verification = (query = ''): Promise<VerificationReport> => scenario.verification(query);

  beforeAll(async () => {
    scenario = await bootScenario('audit-integrity');
    ({ platform, producer, tenant, name, sessionId, auditor } = scenario);
    workDir = mkdtempSync(join(tmpdir(), 'audit-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of ledger rows in the database itself', async () => {
    expect(await tryAsOwner(platform, `UPDATE audit.ledger_entries SET hash = hash`)).toMatch(
      /append-only: UPDATE refused/,
    );
    expect(await tryAsOwner(platform, `DELETE FROM audit.ledger_entries`)).toMatch(
      /append-only: DELETE refused/,
    );
    expect(await tryAsOwner(platform, `TRUNCATE audit.ledger_entries`)).toMatch(
      /append-only: TRUNCATE refused/,
    );
    expect(await tryAsOwner(platform, `DELETE FROM audit.checkpoints`)).toMatch(/append-only/);
  });

  it('signs checkpoints, verifies, and names the first broken position after a privileged edit, delete or reorder', async () => {
    const created = await call(platform, auditor, 'POST', '/v1/audit/checkpoints');
    expect(created.status).toBe(200);
    expect(created.body.checkpoint).toMatchObject({ statement: { tenantId: tenant, fromPosition: 0 } });
    const intact = await verification();
    expect(intact).toMatchObject({ ok: true, from: 0, checkpoints: 1, firstBroken: null });
    const count = intact.entries;
    expect(count).toBeGreaterThan(12);

    const p = 6;
    const original = await ledgerRow(platform, tenant, p);
    const next = await ledgerRow(platform, tenant, p + 1);
    const restore = async (): Promise<void> => {
      await tamper(platform, [
        [
          `DELETE FROM audit.ledger_entries WHERE tenant_id = $1 AND position IN ($2, $3)`,
          [tenant, p, p + 1],
        ],
        [
          `INSERT INTO audit.ledger_entries (tenant_id, position, entry, hash) VALUES ($1, $2, $3, $4), ($1, $5, $6, $7)`,
          [tenant, p, original.entry, original.hash, p + 1, next.entry, next.hash],
        ],
      ]);
      expect(await verification()).toMatchObject({ ok: true, entries: count });
    };

    // Change: one field of one row.
    await tamper(platform, [
      [
        `UPDATE audit.ledger_entries SET entry = replace(entry, '"occurredMs":', '"occurredMs":1') WHERE tenant_id = $1 AND position = $2`,
        [tenant, p],
      ],
    ]);
    expect((await verification()).firstBroken).toMatchObject({ position: p });
    await restore();

    // Delete: one row.
    await tamper(platform, [
      [`DELETE FROM audit.ledger_entries WHERE tenant_id = $1 AND position = $2`, [tenant, p]],
    ]);
    expect((await verification()).firstBroken).toMatchObject({
      position: p,
      reason: expect.stringContaining('missing'),
    });
    await restore();

    // Reorder: rows p and p+1 trade places (their positions swapped inside the entries).
    const moved = (row: { entry: string }, to: number): string =>
      row.entry.replace(/"position":\d+/, `"position":${to}`);
    await tamper(platform, [
      [`DELETE FROM audit.ledger_entries WHERE tenant_id = $1 AND position IN ($2, $3)`, [tenant, p, p + 1]],
      [
        `INSERT INTO audit.ledger_entries (tenant_id, position, entry, hash) VALUES ($1, $2, $3, $4), ($1, $5, $6, $7)`,
        [tenant, p, moved(next, p), next.hash, p + 1, moved(original, p + 1), original.hash],
      ],
    ]);
    expect((await verification()).firstBroken).toMatchObject({ position: p });
    await restore();

    // Range verification starts from the last checkpoint before `from`, or from 0.
    expect(await verification(`?from=3&to=${count - 1}`)).toMatchObject({ ok: true, from: 0 });
  });

  it('exports JSON Lines that the offline command verifies, and names any edit of the file', async () => {
    // More entries after the first checkpoint, then a second checkpoint.
    await producer.publish([
      {
        topic: 'runtime.swaps',
        key: 'i1',
        tenantId: tenant,
        actor: { kind: 'orchestrator', id: 'apikey:runtime' },
        personaRef: `${name}.v1`,
        payload: { event: { case: 'terminated', value: { instanceId: 'i1', reason: 'done' } } },
      },
    ]);
    await eventually(
      () => get('/v1/audit/entries?type=runtime.swaps'),
      (page) => page.entries.length === 1,
    );
    expect((await call(platform, auditor, 'POST', '/v1/audit/checkpoints')).body.checkpoint).toMatchObject({
      statement: { sequence: 1 },
    });

    const response = await fetch(`${platform.url}/v1/audit/export`, {
      headers: { authorization: `Bearer ${auditor.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('"kind":"checkpoint"'))).toHaveLength(2);
    const keysText = await (await fetch(`${platform.url}/v1/audit/keys`)).text(); // public
    const keys = parseTrustedKeys(keysText);
    const check = (content: string) =>
      verifyExport(async function* () {
        yield* content.split('\n');
      }, keys);
    expect(await check(text)).toMatchObject({ ok: true, tenantId: tenant, checkpoints: 2 });

    const entryIndex = (position: number): number =>
      lines.findIndex((l) => l.includes(`"position":${position},`));
    const edited = [...lines];
    edited[entryIndex(4)] = edited[entryIndex(4)]!.replace('"actor":{"id":"', '"actor":{"id":"x');
    expect(await check(edited.join('\n'))).toMatchObject({ ok: false, position: 4 });
    const deleted = lines.filter((_, i) => i !== entryIndex(9));
    expect(await check(deleted.join('\n'))).toMatchObject({ ok: false, position: 9 });
    const swapped = [...lines];
    [swapped[entryIndex(2)], swapped[entryIndex(3)]] = [lines[entryIndex(3)]!, lines[entryIndex(2)]!];
    expect(await check(swapped.join('\n'))).toMatchObject({ ok: false, position: 2 });
    const lastEntry = lines
      .map((l, i) => (l.includes('"kind":"entry"') ? i : -1))
      .filter((i) => i >= 0)
      .pop()!;
    expect(await check(lines.filter((_, i) => i !== lastEntry).join('\n'))).toMatchObject({ ok: false });
    // Flip the first hex digit of every checkpoint's root (writing a fixed digit was a no-op 1 time in 16).
    const forgedCheckpoint = lines.map((l) =>
      l.includes('"kind":"checkpoint"')
        ? l.replace(/"merkleRoot":"(.)/, (_, digit: string) => `"merkleRoot":"${digit === '0' ? '1' : '0'}`)
        : l,
    );
    expect(forgedCheckpoint).not.toEqual(lines);
    expect(await check(forgedCheckpoint.join('\n'))).toMatchObject({ ok: false, position: 0 });
    // Keys named in the file itself are not trusted.
    const stranger = parseTrustedKeys(
      '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----',
    );
    expect(
      await verifyExport(async function* () {
        yield* lines;
      }, stranger),
    ).toMatchObject({ ok: false });

    // The offline command itself: exit 0 on the file, 1 with the position on an edited copy.
    const file = join(workDir, 'export.jsonl');
    const keyFile = join(workDir, 'ledger-keys.json');
    writeFileSync(file, text);
    writeFileSync(keyFile, keysText);
    const cli = (target: string) =>
      promisify(execFile)(
        process.execPath,
        ['-r', '@swc-node/register', 'libs/audit/cli/audit-verify.cli.ts', target, '--public-key', keyFile],
        {
          cwd: join(__dirname, '../..'),
        },
      ).then(
        (out) => ({ code: 0, stdout: out.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    expect(await cli(file)).toMatchObject({ code: 0, stdout: expect.stringContaining('intact') });
    const tampered = join(workDir, 'tampered.jsonl');
    writeFileSync(tampered, edited.join('\n'));
    expect(await cli(tampered)).toMatchObject({
      code: 1,
      stdout: expect.stringContaining('BROKEN at position 4'),
    });
    expect(readFileSync(file, 'utf8')).toBe(text);
  }, 60_000);

  it('is idempotent on event id, and erasing clear PII (retention) never breaks verification', async () => {
    const append = platform.running.app.get(AppendEvents);
    const before = (await verification()).entries;
    const [event] = await producer.publish([
      {
        topic: 'training.conversation',
        key: sessionId,
        tenantId: tenant,
        actor: { kind: 'trainer', id: 'alice' },
        sessionId,
        payload: {
          event: {
            case: 'turn',
            value: { turnId: 't9', role: 'trainer', content: 'Call me on +1 555 0100' },
          },
        },
      },
    ]);
    await eventually(
      () => verification(),
      (report) => report.entries === before + 1,
    );
    await append.execute(event!); // a redelivery
    await append.executeMany([event!, event!]);
    expect(await verification()).toMatchObject({ ok: true, entries: before + 1 });

    const [turn] = (await get(`/v1/audit/entries?type=training.conversation.turn&limit=500`)).entries.slice(
      -1,
    );
    expect((await get<{ available: boolean }>(`/v1/audit/entries/${turn!.position}/pii`)).available).toBe(
      true,
    );
    const erased = await platform.running.app
      .get(LedgerRepository)
      .erasePiiBefore(new Date(Date.now() + 60_000));
    expect(erased).toBeGreaterThanOrEqual(4);
    expect(await get(`/v1/audit/entries/${turn!.position}/pii`)).toEqual({
      position: turn!.position,
      eventId: event!.id,
      available: false,
      fields: [],
    });
    expect(await verification()).toMatchObject({ ok: true, entries: before + 1 });
  });

  it('names a broken row in a later checkpoint window too (windows are verified side by side)', async () => {
    const { checkpoints } = await get<{ checkpoints: SignedCheckpoint[] }>('/v1/audit/checkpoints');
    expect(checkpoints).toHaveLength(2);
    const p = checkpoints[1]!.statement.fromPosition; // first entry of the second window
    const original = await ledgerRow(platform, tenant, p);
    await tamper(platform, [
      [
        `UPDATE audit.ledger_entries SET entry = replace(entry, '"eventId":"', '"eventId":"x') WHERE tenant_id = $1 AND position = $2`,
        [tenant, p],
      ],
    ]);
    expect(await verification()).toMatchObject({ ok: false, firstBroken: { position: p } });
    await tamper(platform, [
      [
        `UPDATE audit.ledger_entries SET entry = $3 WHERE tenant_id = $1 AND position = $2`,
        [tenant, p, original.entry],
      ],
    ]);
    expect(await verification()).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('publishes each signed checkpoint on audit.checkpoints, verifiable by any subscriber', async () => {
    const published = await eventually(
      () => checkpointEvents(platform, tenant),
      (events) => events.length === 2,
    );
    const keys = parseTrustedKeys(await (await fetch(`${platform.url}/v1/audit/keys`)).text());
    for (const event of published) {
      if (event.payload.event.case !== 'checkpoint') throw new Error('not a checkpoint');
      const value = event.payload.event.value;
      const statement = JSON.parse(value.statement) as SignedCheckpoint['statement'];
      expect(statement).toMatchObject({
        tenantId: tenant,
        merkleRoot: value.merkleRoot,
        chainHead: value.chainHead,
      });
      expect(
        checkCheckpointSignature(
          {
            statement,
            signature: { payloadType: CHECKPOINT_PAYLOAD_TYPE, keyid: value.keyId, sig: value.signature },
          },
          keys,
        ),
      ).toEqual({ ok: true });
    }
  });
});
