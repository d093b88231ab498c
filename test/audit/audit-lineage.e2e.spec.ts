import { randomUUID } from 'node:crypto';
import { call, mintKey, type Credential, type Platform } from '../registry/support';
import { bootScenario, type Page, type Scenario, type View } from './scenario';

/**
 * The auditor's questions over a real lifecycle (training → draft → seal → runtime execution):
 * the lineage of one execution, every filter with cursors, PII, bad input and tenant isolation.
 */
describe('audit ledger: lineage and queries', () => {
  let platform: Platform;
  let tenant = '';
  let otherTenant = '';
  let name = '';
  let sessionId = '';
  let executionId = '';
  let correlationId = '';
  let packSha256 = '';
  let draftId = '';
  let auditor: Credential;
  let otherAuditor: Credential;
  let scenario: Scenario;
  const get = <T = Page>(path: string, status = 200, as?: Credential): Promise<T> =>
    scenario.get<T>(path, status, as);

  beforeAll(async () => {
    scenario = await bootScenario('audit-lineage');
    ({
      platform,
      tenant,
      otherTenant,
      name,
      sessionId,
      executionId,
      correlationId,
      packSha256,
      draftId,
      auditor,
      otherAuditor,
    } = scenario);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
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
});
