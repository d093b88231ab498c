import { randomUUID } from 'node:crypto';
import {
  bootPlatform,
  call,
  eventually,
  mintKey,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { governanceAs, governanceEvents, inlinePersona, storedText } from './support';

const EMAIL = 'jane.doe@example.com';
const CARD = '4111 1111 1111 1111';

/** Decisions end to end: approvals, PII kept out of answers and records, budgets under concurrency. */
describe('governance decisions', () => {
  const tenant = uniqueTenant('gov-decide');
  let platform: Platform;
  let orchestrator: Credential;
  let reviewer: Credential;
  let auditor: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    orchestrator = await mintKey(platform, 'orchestrator');
    reviewer = await mintKey(platform, 'reviewer');
    auditor = await mintKey(platform, 'auditor');
    await governanceAs(platform, platform.admin).savePolicy({
      name: 'support',
      limits: { budgets: { maxCostPerTenantPerDay: 1, maxCostPerSession: 5 } },
      rules: [{ id: 'kb', effect: 'permit', match: { tools: ['kb.*'] }, reason: 'lookups' }],
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('opens an approval on require_approval, lets a reviewer approve it once, and publishes both with the policy version', async () => {
    const gov = governanceAs(platform, orchestrator);
    const decision = await gov.decide({
      persona: inlinePersona(),
      action: 'payments.refund',
      tool: 'payments.refund',
      sessionId: 'session-approvals',
      input: `Refund the order of ${EMAIL}`,
    });
    expect(decision).toMatchObject({
      effect: 'require_approval',
      ruleIds: ['constitution:payments-need-approval-in-prod'],
      approval: { state: 'pending', escalationChannel: 'mailto:payments-review@acme.example' },
    });
    const approvalId = decision.approval!.id;
    const pending = await governanceAs(platform, reviewer).approvals('pending');
    expect(pending.approvals.map((a) => a.id)).toContain(approvalId);
    expect(await gov.approval(approvalId)).toMatchObject({
      state: 'pending',
      decisionId: decision.decisionId,
    });
    // Orchestrators cannot answer their own approvals.
    expect(
      (await call(platform, orchestrator, 'POST', `/v1/governance/approvals/${approvalId}/approve`, {}))
        .status,
    ).toBe(403);

    const approved = await governanceAs(platform, reviewer).approve(
      approvalId,
      'refund checked against the order',
    );
    expect(approved).toMatchObject({ state: 'approved', resolvedBy: reviewer.subject });
    expect(await gov.approval(approvalId)).toMatchObject({
      state: 'approved',
      comment: 'refund checked against the order',
    });
    // The runtime asks again with the approval: allowed once, for this persona and action only.
    const retry = {
      persona: inlinePersona(),
      action: 'payments.refund',
      tool: 'payments.refund',
      sessionId: 'session-approvals',
      approvalId,
    };
    const allowed = await gov.decide(retry);
    expect(allowed).toMatchObject({
      effect: 'allow',
      ruleIds: [`approval:${approvalId}`],
      approval: { id: approvalId, state: 'approved' },
    });
    expect(await gov.approval(approvalId)).toMatchObject({ usedByDecision: allowed.decisionId });
    expect((await call(platform, orchestrator, 'POST', '/v1/governance/decide', retry)).status).toBe(409);
    const { tool: _tool, ...notATool } = retry;
    const otherAction = await call(platform, orchestrator, 'POST', '/v1/governance/decide', notATool);
    expect(otherAction).toMatchObject({
      status: 409,
      body: { message: 'the approval was given for another persona or action' },
    });
    const again = await call(platform, reviewer, 'POST', `/v1/governance/approvals/${approvalId}/deny`, {});
    expect(again).toMatchObject({ status: 409, body: { message: 'the approval was already approved' } });

    // The outbox relay publishes asynchronously: wait for the resolution to reach the bus.
    const published = await eventually(
      () => governanceEvents(platform),
      (all) => all.some((e) => e.payload.event.case === 'approvalResolved'),
    );
    const events = published.filter(
      (e) => e.payload.event.case !== 'decision' || e.payload.event.value.decisionId === decision.decisionId,
    );
    const kinds = events.map((e) => e.payload.event.case);
    expect(kinds).toEqual(expect.arrayContaining(['decision', 'approvalRequested', 'approvalResolved']));
    const outcomes = published
      .map((e) => e.payload.event)
      .flatMap((event) => (event.case === 'decision' ? [[event.value.outcome, event.value.ruleIds[0]]] : []));
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['require_approval', 'constitution:payments-need-approval-in-prod'],
        ['allow', `approval:${approvalId}`],
      ]),
    );
    const made = events.find((e) => e.payload.event.case === 'decision')!.payload.event;
    expect(made.case === 'decision' && made.value).toMatchObject({
      outcome: 'require_approval',
      subjectKind: 'tool',
      subject: 'payments.refund',
      policyVersion: 'constitution.v1 tenant:support.v1 persona:support_agent.v3',
      piiTypes: ['email'],
    });
    const resolved = events.find((e) => e.payload.event.case === 'approvalResolved')!.payload.event;
    expect(resolved.case === 'approvalResolved' && resolved.value).toMatchObject({
      approvalId,
      outcome: 'approved',
      decisionId: decision.decisionId,
      policyVersion: 'constitution.v1 tenant:support.v1 persona:support_agent.v3',
    });
  });

  it('turns a denied approval into a denial when it is presented', async () => {
    const gov = governanceAs(platform, orchestrator);
    const ask = { persona: inlinePersona(), action: 'payments.refund', tool: 'payments.refund' };
    const opened = await gov.decide(ask);
    await governanceAs(platform, reviewer).deny(opened.approval!.id, 'not this one');
    expect(await gov.decide({ ...ask, approvalId: opened.approval!.id })).toMatchObject({
      effect: 'deny',
      ruleIds: [`approval:${opened.approval!.id}`],
      approval: { state: 'denied' },
    });
  });

  it('removes personal data from prompts, outputs and everything stored', async () => {
    const gov = governanceAs(platform, orchestrator);
    const decision = await gov.decide({
      persona: inlinePersona({
        policy: {
          allowedActions: ['payments.*'],
          escalation: { channels: ['slack:#pay'] },
          piiRedaction: { mode: 'mask' },
        },
      }),
      action: 'payments.refund',
      input: `Card ${CARD}, mail ${EMAIL}`,
      output: `I will write to ${EMAIL} once done.`,
    });
    expect(decision.pii.found).toEqual(['credit_card', 'email']);
    expect(decision.pii.input).not.toContain(EMAIL);
    expect(decision.pii.input).not.toContain('4111');
    expect(decision.pii.output).not.toContain(EMAIL);
    expect(decision.pii.output).toMatch(/^I will write to .+ once done\.$/);
    const redacted = await call(platform, orchestrator, 'POST', '/v1/governance/redact', {
      text: `Reply to ${EMAIL}`,
    });
    expect(redacted.status).toBe(200);
    expect(JSON.stringify(redacted.body)).not.toContain(EMAIL);
    const stored = await storedText(platform);
    expect(stored).toContain(decision.decisionId);
    expect(stored).not.toContain(EMAIL);
    expect(stored).not.toContain('4111');
  });

  it('denies a network tool when the input holds credentials, whatever the persona allows', async () => {
    const decision = await governanceAs(platform, orchestrator).decide({
      persona: inlinePersona({ tools: ['web.fetch'], policy: { allowedActions: ['web.*'] } }),
      action: 'web.fetch',
      tool: 'web.fetch',
      input: 'Use password: hunter2-Secret! to log in',
    });
    expect(decision).toMatchObject({
      effect: 'deny',
      ruleIds: ['constitution:no-network-with-credentials-in-input'],
    });
  });

  it('stops 50 parallel calls exactly at the tenant day limit, and says the limit and the amounts', async () => {
    const gov = governanceAs(platform, orchestrator);
    // gpt-4o: 1000 output tokens cost 0.01 USD; 0 input tokens. The tenant's day is capped at 1 USD.
    const ask = () =>
      gov.decide({
        persona: inlinePersona(),
        action: 'kb.search',
        tool: 'kb.search',
        sessionId: randomUUID(),
        model: { model: 'gpt-4o', inputTokens: 0, maxTokens: 3000 },
      });
    const results = await Promise.all(Array.from({ length: 50 }, ask));
    const allowed = results.filter((r) => r.effect === 'allow');
    const denied = results.filter((r) => r.effect === 'deny');
    expect(allowed).toHaveLength(33); // 33 × 0.03 = 0.99 ≤ 1; a 34th would make 1.02
    expect(denied).toHaveLength(17);
    expect(denied[0]).toMatchObject({
      ruleIds: ['budget:tenant_day'],
      budget: { ok: false, scope: 'tenant_day', limit: 1, requested: 0.03 },
    });
    expect(denied[0]!.reasons[0]).toMatch(
      /daily budget of 1 USD would be exceeded: 0\.99 USD spent, 0\.03 USD requested/,
    );
    const status = await governanceAs(platform, auditor).budgets();
    expect(status.counters).toEqual([{ scope: 'tenant_day', spent: 0.99, limit: 1 }]);
    // Settling at the actual cost (0.01 each) frees what was reserved but not spent.
    for (const result of allowed)
      if (result.budget?.ok) await gov.chargeBudget(result.budget.reservation, 0.01);
    expect((await governanceAs(platform, auditor).budgets()).counters[0]).toMatchObject({ spent: 0.33 });
    // A reservation of another tenant's counter is refused.
    const forged = {
      entries: [{ key: 'budget:{other}:tenant:2026-01-01', amount: 10000, ttlSeconds: 60 }],
      reserved: 0.01,
    };
    expect(
      (
        await call(platform, orchestrator, 'POST', '/v1/governance/budgets/charge', {
          reservation: forged,
          actualCost: 0,
        })
      ).status,
    ).toBe(400);
  });

  it("denies a request above the persona's per-request limit before any counter moves", async () => {
    const decision = await governanceAs(platform, orchestrator).decide({
      persona: inlinePersona({ budget: { maxCostPerRequest: 0.02 } }),
      action: 'kb.search',
      tool: 'kb.search',
      model: { model: 'gpt-4o', inputTokens: 0, maxTokens: 3000 },
    });
    expect(decision).toMatchObject({
      effect: 'deny',
      budget: { scope: 'request', limit: 0.02, spent: 0, requested: 0.03 },
    });
  });
});
