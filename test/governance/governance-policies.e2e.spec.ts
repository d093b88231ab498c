import {
  bootPlatform,
  call,
  mintKey,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { countRows, governanceAs, inlinePersona } from './support';

const TENANT_POLICY = {
  name: 'acme-default',
  rules: [
    { id: 'kb', effect: 'permit', match: { tools: ['kb.*'] }, reason: 'knowledge base lookups are fine' },
    {
      id: 'exfiltrate',
      effect: 'permit',
      match: { actions: ['credentials.exfiltrate'] },
      reason: 'tries to widen the constitution',
    },
    {
      id: 'refunds',
      effect: 'permit',
      match: { tools: ['payments.refund'] },
      reason: 'refunds are part of support',
    },
    {
      id: 'night-mail',
      effect: 'forbid',
      match: { tools: ['email.send'] },
      when: { hoursUtc: { from: 22, to: 6 } },
      reason: 'no mail at night',
    },
  ],
};

/** Policies over HTTP: versions, layered precedence, default deny, dry-run, and refusals that save nothing. */
describe('governance policies', () => {
  const tenant = uniqueTenant('gov-policies');
  let platform: Platform;
  let orchestrator: Credential;
  let auditor: Credential;
  let trainer: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    orchestrator = await mintKey(platform, 'orchestrator');
    auditor = await mintKey(platform, 'auditor');
    trainer = await mintKey(platform, 'trainer');
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const versions = () =>
    countRows(platform, `SELECT count(*) AS n FROM governance.policy_versions WHERE tenant_id = $1`, [
      tenant,
    ]);

  it('decides with the constitution alone: tools are denied by default', async () => {
    const decision = await governanceAs(platform, orchestrator).decide({
      persona: inlinePersona({ policy: undefined }),
      action: 'kb.search',
      tool: 'kb.search',
    });
    expect(decision).toMatchObject({
      effect: 'deny',
      ruleIds: ['default:deny-tools'],
      policyVersions: { constitution: 'constitution.v1', persona: 'support_agent.v3' },
    });
    expect(decision.decisionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('saves immutable versions, activates the newest, and lets a tenant narrow but never widen the constitution', async () => {
    const admin = governanceAs(platform, platform.admin);
    const v1 = await admin.savePolicy(TENANT_POLICY);
    expect(v1).toMatchObject({ version: 1, name: 'acme-default', active: true });
    const gov = governanceAs(platform, orchestrator);
    const persona = inlinePersona({ policy: undefined });
    expect(await gov.decide({ persona, action: 'kb.search', tool: 'kb.search' })).toMatchObject({
      effect: 'allow',
      ruleIds: ['tenant:kb'],
      policyVersions: { tenant: 'acme-default.v1' },
    });
    // The tenant permits exfiltration; the constitution forbids it, and forbid wins.
    expect(await gov.decide({ persona, action: 'credentials.exfiltrate' })).toMatchObject({
      effect: 'deny',
      ruleIds: ['constitution:no-credential-exfiltration'],
    });
    // The tenant permits refunds; the constitution still requires approval for payments in prod.
    expect(await gov.decide({ persona, action: 'payments.refund', tool: 'payments.refund' })).toMatchObject({
      effect: 'require_approval',
      ruleIds: ['constitution:payments-need-approval-in-prod'],
    });
    // Tools outside the persona's bundle are forbidden whatever the tenant permits.
    expect(
      await gov.decide({
        persona: { ...persona, tools: ['email.send'] },
        action: 'kb.search',
        tool: 'kb.search',
      }),
    ).toMatchObject({
      effect: 'deny',
      ruleIds: ['constitution:no-tools-outside-bundle'],
    });
    // Context: the tenant's night rule.
    expect(
      await gov.decide({
        persona,
        action: 'email.send',
        tool: 'email.send',
        context: { time: '2026-11-20T23:00:00Z' },
      }),
    ).toMatchObject({ effect: 'deny', ruleIds: ['tenant:night-mail'] });

    const v2 = await admin.savePolicy({
      ...TENANT_POLICY,
      rules: TENANT_POLICY.rules.filter((r) => r.id !== 'kb'),
    });
    expect(v2).toMatchObject({ version: 2 });
    expect(await gov.decide({ persona, action: 'kb.search', tool: 'kb.search' })).toMatchObject({
      effect: 'deny',
      ruleIds: ['default:deny-tools'],
    });
    // Rolling back is activating v1 again; versions themselves never change.
    await admin.activatePolicy(1);
    expect(
      (await gov.decide({ persona, action: 'kb.search', tool: 'kb.search' })).policyVersions.tenant,
    ).toBe('acme-default.v1');
    expect(await governanceAs(platform, auditor).policies()).toMatchObject({
      active: 1,
      versions: [{ version: 2 }, { version: 1 }],
    });
  });

  it('answers a dry run for a candidate policy without saving or publishing anything', async () => {
    const before = await versions();
    const events = () =>
      countRows(
        platform,
        `SELECT count(*) AS n FROM messaging.events WHERE topic = 'governance.decisions' AND headers->>'tenant-id' = $1`,
        [tenant],
      );
    const eventsBefore = await events();
    const result = await governanceAs(platform, auditor).dryRun(
      [
        { persona: inlinePersona(), action: 'kb.search', tool: 'kb.search' },
        {
          persona: inlinePersona(),
          action: 'email.send',
          tool: 'email.send',
          input: 'Write to jane.doe@example.com',
        },
      ],
      {
        name: 'candidate',
        rules: [{ id: 'no-kb', effect: 'forbid', match: { tools: ['kb.*'] }, reason: 'trying it out' }],
      },
    );
    expect(result.policy).toBe('candidate');
    expect(result.decisions.map((d) => [d.effect, d.ruleIds])).toEqual([
      ['deny', ['tenant:no-kb']],
      ['allow', ['persona:allowed.email.send']],
    ]);
    expect(result.decisions[1]!.pii.found).toEqual(['email']);
    expect(await versions()).toBe(before);
    expect(await events()).toBe(eventsBefore);
  });

  it('refuses an invalid document naming the rule and the field, and saves nothing', async () => {
    const before = await versions();
    const reply = await call(
      platform,
      { token: platform.admin, subject: '' },
      'POST',
      '/v1/governance/policies',
      {
        document: {
          name: 'broken',
          rules: [
            { id: 'fine', effect: 'permit', match: { tools: ['kb.*'] }, reason: 'ok' },
            { id: 'typo', effect: 'allow', match: { tools: ['kb.*'] }, reason: 'wrong effect' },
          ],
        },
      },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([
      {
        field: '/document/rules/1/effect',
        reason: 'rule "typo": must be one of: permit, forbid, require_approval',
      },
    ]);
    expect(reply.body.message).toMatch(/nothing was saved/);
    expect(await versions()).toBe(before);
  });

  it('reports contradictory rules at save time with both rule ids (422), and saves nothing', async () => {
    const before = await versions();
    const reply = await call(
      platform,
      { token: platform.admin, subject: '' },
      'POST',
      '/v1/governance/policies',
      {
        document: {
          name: 'torn',
          rules: [
            { id: 'allow-web', effect: 'permit', match: { tools: ['web.*'] }, reason: 'research' },
            { id: 'block-web', effect: 'forbid', match: { tools: ['web.*'] }, reason: 'no web' },
          ],
        },
      },
    );
    expect(reply.status).toBe(422);
    expect(reply.body.message).toMatch(/allow-web, block-web/);
    expect(reply.body.errors?.[0]?.reason).toMatch(/"allow-web" permits and "block-web" forbids/);
    expect(await versions()).toBe(before);
  });

  it('refuses documents over the size limit (413), other roles (403) and unknown personas (422)', async () => {
    const huge = {
      name: 'huge',
      description: 'x'.repeat(2000),
      rules: Array.from({ length: 500 }, (_, i) => ({
        id: `rule-${i}`,
        effect: 'forbid',
        match: { actions: [`a${i}.*`] },
        reason: 'r'.repeat(490),
      })),
    };
    const tooBig = await call(
      platform,
      { token: platform.admin, subject: '' },
      'POST',
      '/v1/governance/policies',
      { document: huge },
    );
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toMatch(/over the 262144-byte limit/);
    expect(
      (await call(platform, trainer, 'POST', '/v1/governance/policies', { document: TENANT_POLICY })).status,
    ).toBe(403);
    expect(
      (
        await call(platform, trainer, 'POST', '/v1/governance/decide', {
          persona: inlinePersona(),
          action: 'kb.search',
        })
      ).status,
    ).toBe(403);
    const unknown = await call(platform, orchestrator, 'POST', '/v1/governance/decide', {
      persona: { ref: 'nobody_here.v1' },
      action: 'chat.respond',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/unknown persona nobody_here.v1/);
    const badRequest = await call(platform, orchestrator, 'POST', '/v1/governance/decide', {
      persona: inlinePersona(),
      action: 'Kb Search',
      extra: 1,
    });
    expect(badRequest.status).toBe(400);
    expect(badRequest.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: '/action' })]),
    );
  });
});
