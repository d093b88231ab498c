import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signJwt } from '@personae/auth';
import { parseTrustedKeys } from '../../libs/audit/cli/verify-command';
import { Client } from 'pg';
import {
  CHECKPOINT_PAYLOAD_TYPE,
  checkCheckpointSignature,
  verifyExport,
  type LedgerEntry,
  type SignedCheckpoint,
  type VerificationReport,
} from '@personae/audit';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import {
  bootPlatform,
  call,
  eventually,
  JWT_SECRET,
  mintKey,
  registryAs,
  signerAs,
  testPack,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { LedgerRepository } from '../../libs/audit/store/ledger.repository';
import { AppendEvents } from '../../libs/audit/use-cases/append-events.use-case';
import { TestEventProducer, TestEventProducerModule } from './event-producer.module';
import { auditGet, ledgerRow, tamper, tryAsOwner } from './support';

interface View {
  position: number;
  hash: string;
  entry: LedgerEntry;
}
interface Page {
  entries: View[];
  nextCursor: string | null;
}

/**
 * The issue's done-when: a lifecycle (training → draft → seal → runtime execution) reaches the
 * ledger through the real outbox and event log; the lineage query answers for the execution; a
 * row changed, deleted or reordered by a privileged connection is named by verification at its
 * position, and so is any edit of an exported file.
 */
describe('audit ledger: lifecycle, lineage, tamper evidence', () => {
  const tenant = uniqueTenant('audit-e2e');
  const otherTenant = uniqueTenant('audit-other');
  const name = 'biology_researcher';
  const sessionId = randomUUID();
  const executionId = randomUUID();
  const decisionId = randomUUID();
  const correlationId = randomUUID();
  let platform: Platform;
  let auditor: Credential;
  let otherAuditor: Credential;
  let producer: TestEventProducer;
  let packSha256 = '';
  let draftId = '';
  let workDir = '';

  const get = <T = Page>(path: string, status = 200, as: Credential = auditor): Promise<T> =>
    auditGet<T>(platform, as, path, status);
  const verification = (query = ''): Promise<VerificationReport> =>
    get<VerificationReport>(`/v1/audit/verification${query}`);

  beforeAll(async () => {
    platform = await bootPlatform(tenant, { extraModules: [TestEventProducerModule] });
    producer = platform.running.app.get(TestEventProducer);
    auditor = await mintKey(platform, 'auditor', 'auditor');
    const issuer = platform.running.config.auth.jwtIssuer;
    otherAuditor = {
      token: signJwt({ sub: 'eve', tenant: otherTenant, role: 'auditor' }, { secret: JWT_SECRET, issuer }),
      subject: 'eve',
    };
    workDir = mkdtempSync(join(tmpdir(), 'audit-e2e-'));

    // Training (as the training service publishes it): alice trains a session.
    const trainer = { kind: 'trainer' as const, id: 'alice' };
    const inSession = {
      key: sessionId,
      tenantId: tenant,
      actor: trainer,
      sessionId,
      correlationId: sessionId,
    };
    await producer.publish([
      {
        ...inSession,
        topic: 'training.session',
        payload: {
          event: {
            case: 'started',
            value: { sessionId, trainerId: 'alice', personaName: name, mode: 'TRAINING' },
          },
        },
      },
      {
        ...inSession,
        topic: 'training.conversation',
        payload: {
          event: {
            case: 'turn',
            value: { turnId: 't1', role: 'trainer', content: 'Write to jane.doe@example.com about mitosis' },
          },
        },
      },
      {
        ...inSession,
        topic: 'training.tools',
        payload: {
          event: {
            case: 'run',
            value: {
              runId: 'r1',
              tool: 'search',
              inputJson: '{"q":"mitosis"}',
              outputJson: '{"hits":3}',
              status: 'succeeded',
              invokedBy: 'agent',
            },
          },
        },
      },
      {
        ...inSession,
        topic: 'training.annotations',
        payload: {
          event: {
            case: 'added',
            value: {
              annotationId: 'a1',
              targetEventId: 't1',
              kind: 'correct',
              correctedAnswer: 'Cite the paper.',
            },
          },
        },
      },
      {
        ...inSession,
        topic: 'training.session',
        payload: {
          event: {
            case: 'closed',
            value: {
              sessionId,
              trainerId: 'alice',
              archiveRef: 'archives/x',
              archiveSha256: 'ab'.repeat(32),
              eventCount: 4,
            },
          },
        },
      },
    ]);
    // Another tenant's activity, which the first tenant's auditor must never see.
    await producer.publish([
      {
        topic: 'training.session',
        key: 'other-session',
        tenantId: otherTenant,
        actor: trainer,
        sessionId,
        payload: {
          event: {
            case: 'started',
            value: { sessionId, trainerId: 'alice', personaName: name, mode: 'TRAINING' },
          },
        },
      },
    ]);

    // Draft → review → seal through the real registry and signer over HTTP.
    const synthesis = await mintKey(platform, 'trainer', 'synthesis pipeline');
    const reviewers = [await mintKey(platform, 'reviewer', 'r1'), await mintKey(platform, 'reviewer', 'r2')];
    const signer = await mintKey(platform, 'signer', 'release signer');
    await signerAs(platform, platform.admin).registerIdentity({
      subject: signer.subject,
      displayName: 'Release',
      roles: ['pack-signer'],
    });
    const pack = testPack(name);
    pack.provenance.trainingSessions = [sessionId];
    const registry = (as: Credential) => registryAs(platform, as);
    const draft = await registry(synthesis).createDraft(pack, { sessionId, trainerIds: ['alice'] });
    draftId = draft.id;
    await producer.publish([
      {
        topic: 'synthesis.drafts',
        key: sessionId,
        tenantId: tenant,
        actor: { kind: 'service', id: 'synthesis-pipeline' },
        sessionId,
        payload: {
          event: {
            case: 'synthesized',
            value: {
              sessionId,
              personaName: name,
              draftId,
              packSha256: draft.digest,
              summary: 'Adds citations',
              changeCount: 1,
            },
          },
        },
      },
    ]);
    await registry(synthesis).submit(draftId);
    await registry(reviewers[0]!).approve(draftId, 'ok');
    await registry(reviewers[1]!).approve(draftId, 'ok');
    const version = await registry(signer).seal(draftId);
    packSha256 = version.digest.replace(/^sha256:/, '');

    // Runtime (as the governance and runtime services publish it): one governed execution of v1.
    const served = { tenantId: tenant, personaRef: `${name}.v1`, correlationId };
    await producer.publish([
      {
        ...served,
        topic: 'governance.decisions',
        key: decisionId,
        actor: { kind: 'service', id: 'governance-policy' },
        payload: {
          event: {
            case: 'decision',
            value: {
              decisionId,
              subjectKind: 'action',
              subject: 'answer',
              outcome: 'allow',
              ruleIds: ['tenant.allow-answers'],
              override: true,
            },
          },
        },
      },
      {
        ...served,
        topic: 'runtime.executions',
        key: executionId,
        actor: { kind: 'orchestrator', id: 'apikey:runtime' },
        payload: {
          event: {
            case: 'completed',
            value: {
              executionId,
              instanceId: 'i1',
              personaRef: `${name}.v1`,
              packSha256,
              action: 'answer',
              outcome: 'completed',
              decisionIds: [decisionId],
            },
          },
        },
      },
    ]);
    await eventually(
      () => get(`/v1/audit/entries?type=runtime.executions`),
      (page) => page.entries.length === 1,
      20_000,
    );
    await eventually(
      () => get(`/v1/audit/entries?type=persona.lifecycle.sealed`),
      (page) => page.entries.length === 1,
      20_000,
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('answers the lineage of one execution from the ledger alone', async () => {
    const lineage = await get<{
      persona: { ref: string; name: string; version: number; packSha256: string };
      sealed: View;
      draftId: string;
      draft: View[];
      trainingSessions: { sessionId: string; trainers: string[]; entries: View[] }[];
      decisions: View[];
    }>(`/v1/audit/lineage/executions/${executionId}`);
    expect(lineage.persona).toEqual({ ref: `${name}.v1`, name, version: 1, packSha256 });
    expect(lineage.sealed.entry).toMatchObject({
      type: 'persona.lifecycle.sealed',
      payload: { sealed: { version: 1, draftId } },
    });
    expect(lineage.draftId).toBe(draftId);
    expect(lineage.draft.map((v) => v.entry.type)).toEqual(
      expect.arrayContaining([
        'synthesis.drafts.synthesized',
        'persona.lifecycle.draftSaved',
        'persona.lifecycle.reviewSubmitted',
      ]),
    );
    expect(lineage.trainingSessions).toEqual([expect.objectContaining({ sessionId, trainers: ['alice'] })]);
    expect(lineage.trainingSessions[0]!.entries.map((v) => v.entry.type).sort()).toEqual([
      'training.session.closed',
      'training.session.started',
    ]);
    expect(lineage.decisions).toHaveLength(1);
    expect(lineage.decisions[0]!.entry.index).toMatchObject({ decision: 'allow', override: true });
    await get(`/v1/audit/lineage/executions/${randomUUID()}`, 404);
  });

  it('filters by persona, session, actor, type, decision, correlation and time, with cursors', async () => {
    const types = async (query: string): Promise<string[]> =>
      (await get(`/v1/audit/entries?${query}`)).entries.map((v) => v.entry.type);
    expect(await types(`persona=${name}.v1&type=persona.lifecycle`)).toEqual(['persona.lifecycle.sealed']);
    expect((await types(`persona=${name}`)).length).toBeGreaterThan(3);
    expect(await types('actor=alice')).toHaveLength(5);
    expect(await types('decision=allow&override=true')).toEqual(['governance.decisions.decision']);
    expect(await types('override=false')).toEqual([]);
    expect((await types(`correlation=${correlationId}`)).sort()).toEqual([
      'governance.decisions.decision',
      'runtime.executions.completed',
    ]);
    const now = Date.now();
    const inWindow = await types(
      `from=${new Date(now - 600_000).toISOString()}&to=${new Date(now).toISOString()}`,
    );
    expect(inWindow.length).toBeGreaterThan(10);
    expect(await types(`from=${new Date(now + 600_000).toISOString()}`)).toEqual([]);

    // The whole session timeline, page by page.
    const seen: View[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get(
        `/v1/audit/sessions/${sessionId}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    const timeline = seen.map((v) => v.entry.type);
    expect(timeline).toEqual(
      expect.arrayContaining([
        'training.session.started',
        'training.conversation.turn',
        'training.tools.run',
        'training.annotations.added',
        'training.session.closed',
        'synthesis.drafts.synthesized',
        'persona.lifecycle.draftSaved',
        'persona.lifecycle.sealed',
      ]),
    );
    expect(new Set(seen.map((v) => v.position)).size).toBe(seen.length);
    // By time of occurrence (ties by position), whatever order the topics reached the ledger in.
    const keys = seen.map((v) => [v.entry.occurredMs, v.position] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('stores PII as salted commitments, revealed only to an auditor and proven against the chain', async () => {
    const [turn] = (await get(`/v1/audit/entries?type=training.conversation.turn`)).entries;
    expect(JSON.stringify(turn)).not.toContain('jane.doe');
    expect(turn!.entry.payload).toMatchObject({
      turn: { content: expect.stringMatching(/^pii:sha256:[0-9a-f]{64}$/) },
    });
    const revealed = await get<{ fields: { path: string; value: string; matches: boolean }[] }>(
      `/v1/audit/entries/${turn!.position}/pii`,
    );
    expect(revealed.fields).toEqual([
      { path: 'turn.content', value: 'Write to jane.doe@example.com about mitosis', matches: true },
    ]);
    const trainerKey = await mintKey(platform, 'trainer', 'not an auditor');
    await get(`/v1/audit/entries/${turn!.position}/pii`, 403, trainerKey);
  });

  it('refuses bad input with the field and the reason, and never shows another tenant', async () => {
    const bad = async (query: string, field: string): Promise<void> => {
      const response = await call(platform, auditor, 'GET', `/v1/audit/entries?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    };
    await bad('colour=red', 'colour');
    await bad('cursor=%%%', 'cursor');
    await bad(`cursor=${Buffer.from('p:abc').toString('base64url')}`, 'cursor');
    await bad('from=2020-01-01&to=2026-01-01', 'to');
    await bad('limit=100000', 'limit');
    await bad('persona=Not%20A%20Name', 'persona');
    expect((await call(platform, auditor, 'GET', '/v1/audit/verification?from=5&to=1')).status).toBe(400);
    expect((await call(platform, auditor, 'GET', '/v1/audit/verification?to=99999999999')).status).toBe(400);
    expect((await call(platform, undefined, 'GET', '/v1/audit/entries')).status).toBe(401);

    const other = await get(`/v1/audit/entries?session=${sessionId}`, 200, otherAuditor);
    expect(other.entries.map((v) => v.entry.tenantId)).toEqual([otherTenant]);
    await get(`/v1/audit/lineage/executions/${executionId}`, 404, otherAuditor);
    const mine = await get(`/v1/audit/entries?limit=500`);
    expect(mine.entries.every((v) => v.entry.tenantId === tenant)).toBe(true);
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
    const forgedCheckpoint = lines.map((l) =>
      l.includes('"kind":"checkpoint"') ? l.replace(/"merkleRoot":"./, '"merkleRoot":"f') : l,
    );
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

async function checkpointEvents(
  platform: Platform,
  tenant: string,
): Promise<EventEnvelope<'audit.checkpoints'>[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events WHERE topic = 'audit.checkpoints' AND headers->>'tenant-id' = $1
        ORDER BY partition, "offset"`,
      [tenant],
    );
    return rows.map((row) => deserializeEvent(row.value) as EventEnvelope<'audit.checkpoints'>);
  } finally {
    await client.end();
  }
}
