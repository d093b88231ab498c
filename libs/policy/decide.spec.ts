import { compilePolicyOrThrow } from './compile-policy';
import { constitution } from './constitution/constitution';
import { decide } from './decide';
import type { DecisionRequest } from './decision';
import { personaLayer } from './persona-layer';
import type { PolicyDocument } from './schema/policy-document.schema';

function request(
  overrides: Partial<DecisionRequest> = {},
  context: Partial<DecisionRequest['context']> = {},
) {
  return {
    persona: { name: 'biology_researcher', version: 2, capabilities: ['research'], tags: ['science'] },
    principal: { role: 'orchestrator', tenant: 'acme' },
    action: 'chat.respond',
    ...overrides,
    context: { mode: 'prod', time: new Date('2026-11-20T10:00:00Z'), ...context },
  } as DecisionRequest;
}

const tenant = (rules: PolicyDocument['rules']) =>
  compilePolicyOrThrow({ name: 'acme', rules }, { layer: 'tenant', version: 'acme.v1' });

describe('decide: layered precedence', () => {
  it('a tenant cannot permit what the constitution forbids', () => {
    const layers = {
      constitution: constitution(),
      tenant: tenant([
        {
          id: 'let-it-out',
          effect: 'permit',
          match: { actions: ['credentials.*'] },
          reason: 'tenant wants it',
        },
      ]),
    };
    const decision = decide(request({ action: 'credentials.exfiltrate' }), layers);
    expect(decision.effect).toBe('deny');
    expect(decision.ruleIds).toEqual(['constitution:no-credential-exfiltration']);
    expect(decision.policyVersions).toEqual({ constitution: 'constitution.v1', tenant: 'acme.v1' });
  });

  it('a tenant permit cannot waive the constitution requiring approval, but a tenant forbid narrows it', () => {
    const permitting = {
      constitution: constitution(),
      tenant: tenant([{ id: 'pay', effect: 'permit', match: { actions: ['payments.*'] }, reason: 'ok' }]),
    };
    expect(decide(request({ action: 'payments.refund' }), permitting)).toMatchObject({
      effect: 'require_approval',
      ruleIds: ['constitution:payments-need-approval-in-prod'],
    });
    expect(decide(request({ action: 'payments.refund' }, { mode: 'dev' }), permitting)).toMatchObject({
      effect: 'allow',
      ruleIds: ['tenant:pay'],
      override: false,
    });
    const forbidding = {
      constitution: constitution(),
      tenant: tenant([
        { id: 'no-pay', effect: 'forbid', match: { actions: ['payments.*'] }, reason: 'never' },
      ]),
    };
    expect(decide(request({ action: 'payments.refund' }), forbidding)).toMatchObject({
      effect: 'deny',
      ruleIds: ['tenant:no-pay'],
      override: true,
    });
  });

  it('a persona permit cannot lift a tenant forbid; forbid wins over permit in every layer', () => {
    const layers = {
      constitution: constitution(),
      tenant: tenant([
        { id: 'no-shell', effect: 'forbid', match: { tools: ['shell.*'] }, reason: 'no shells' },
      ]),
      persona: personaLayer(
        { allowedActions: ['shell.exec', 'web.*'], blockedActions: [] },
        'biology_researcher.v2',
      ),
    };
    const persona = {
      name: 'biology_researcher',
      capabilities: ['research'],
      tags: [],
      tools: ['shell.exec', 'web.search'],
    };
    expect(decide(request({ action: 'shell.exec', tool: 'shell.exec', persona }), layers)).toMatchObject({
      effect: 'deny',
      ruleIds: ['tenant:no-shell'],
    });
    expect(decide(request({ action: 'web.search', tool: 'web.search', persona }), layers)).toMatchObject({
      effect: 'allow',
      ruleIds: ['persona:allowed.web.all'],
      policyVersions: {
        constitution: 'constitution.v1',
        tenant: 'acme.v1',
        persona: 'biology_researcher.v2',
      },
    });
  });
});

describe('decide: defaults and matching', () => {
  it('denies a tool no rule permits, and allows a plain action no rule restricts', () => {
    const layers = { constitution: constitution() };
    expect(decide(request({ action: 'web.search', tool: 'web.search' }), layers)).toMatchObject({
      effect: 'deny',
      ruleIds: ['default:deny-tools'],
    });
    expect(decide(request(), layers)).toMatchObject({ effect: 'allow', ruleIds: ['default:allow-actions'] });
  });

  it('forbids tools outside the persona bundle even when a tenant permits every tool', () => {
    const layers = {
      constitution: constitution(),
      tenant: tenant([{ id: 'all-tools', effect: 'permit', match: { tools: ['*'] }, reason: 'trust' }]),
    };
    const persona = { name: 'p', capabilities: [], tags: [], tools: ['web.search'] };
    expect(decide(request({ action: 'db.drop', tool: 'db.drop', persona }), layers).ruleIds).toEqual([
      'constitution:no-tools-outside-bundle',
    ]);
    expect(decide(request({ action: 'web.search', tool: 'web.search', persona }), layers).effect).toBe(
      'allow',
    );
  });

  it('matches persona, principal and context conditions', () => {
    const layers = {
      constitution: constitution(),
      tenant: tenant([
        {
          id: 'legal-only',
          effect: 'permit',
          match: { tools: ['docs.*'], persona: { names: ['legal-*'], capabilities: ['legal'] } },
          reason: 'legal docs',
        },
        {
          id: 'expensive',
          effect: 'require_approval',
          match: { actions: ['*'] },
          when: { costAbove: 5 },
          reason: 'over 5 USD',
        },
        {
          id: 'night',
          effect: 'forbid',
          match: { tools: ['docs.write'] },
          when: { hoursUtc: { from: 22, to: 6 } },
          reason: 'no night writes',
        },
        {
          id: 'pii-mail',
          effect: 'forbid',
          match: { actions: ['email.send'] },
          when: { piiFound: ['health'] },
          reason: 'no health data by mail',
        },
        {
          id: 'auditor',
          effect: 'forbid',
          match: { actions: ['*'], principal: { roles: ['auditor'] } },
          reason: 'auditors read only',
        },
      ]),
    };
    const legal = { name: 'legal-drafter', capabilities: ['legal'], tags: [] };
    expect(decide(request({ action: 'docs.read', tool: 'docs.read', persona: legal }), layers).effect).toBe(
      'allow',
    );
    expect(decide(request({ action: 'docs.read', tool: 'docs.read' }), layers).effect).toBe('deny');
    expect(
      decide(request({ action: 'docs.read', tool: 'docs.read', persona: legal }, { costSoFar: 5.01 }), layers)
        .ruleIds,
    ).toEqual(['tenant:expensive']);
    expect(
      decide(
        request(
          { action: 'docs.write', tool: 'docs.write', persona: legal },
          { time: new Date('2026-11-20T23:30:00Z') },
        ),
        layers,
      ).ruleIds,
    ).toEqual(['tenant:night']);
    expect(decide(request({ action: 'docs.write', tool: 'docs.write', persona: legal }), layers).effect).toBe(
      'allow',
    );
    expect(
      decide(request({ action: 'email.send' }, { piiFound: ['email', 'health'] }), layers).ruleIds,
    ).toEqual(['tenant:pii-mail']);
    expect(decide(request({ action: 'email.send' }, { piiFound: ['email'] }), layers).effect).toBe('allow');
    expect(decide(request({ principal: { role: 'auditor', tenant: 'acme' } }), layers).effect).toBe('deny');
  });

  it('forbids network tools when the input holds credentials', () => {
    const layers = {
      constitution: constitution(),
      tenant: tenant([{ id: 'web', effect: 'permit', match: { tools: ['web.*'] }, reason: 'ok' }]),
    };
    expect(
      decide(request({ action: 'web.fetch', tool: 'web.fetch' }, { piiFound: ['credentials'] }), layers)
        .ruleIds,
    ).toEqual(['constitution:no-network-with-credentials-in-input']);
  });

  it('a persona blocking a pattern wins over its own allow-list', () => {
    const layers = {
      constitution: constitution(),
      persona: personaLayer({ allowedActions: ['web.*', 'web.post'], blockedActions: ['web.post'] }),
    };
    expect(decide(request({ action: 'web.post', tool: 'web.post' }), layers)).toMatchObject({
      effect: 'deny',
      ruleIds: ['persona:blocked.web.post'],
    });
    expect(decide(request({ action: 'web.get', tool: 'web.get' }), layers).effect).toBe('allow');
  });
});
