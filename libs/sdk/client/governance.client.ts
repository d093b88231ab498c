import type { HttpClient } from './http-client';

export type GovernanceCheckStatus = 'pass' | 'fail' | 'warn';

/** Governance's verdict on a pack before sealing; its digest goes into the seal's predicate. */
export interface PackValidationReportView {
  packDigest: string;
  policyVersions: { constitution: string; tenant?: string };
  status: 'passed' | 'failed';
  checks: { name: string; status: GovernanceCheckStatus; findings: { pointer: string; reason: string }[] }[];
  tests: {
    name: string;
    passed: boolean;
    verdict: 'passed' | 'failed' | 'inconclusive';
    failures: string[];
    model: string;
    provider: string;
  }[];
}

export interface PackValidationView {
  report: PackValidationReportView;
  /** sha256:<hex> of the report's RFC 8785 canonical JSON. */
  digest: string;
}

/** A persona by ref (resolved through the registry) or described inline. */
export type PersonaDescriptorView =
  | { ref: string }
  | {
      name: string;
      version?: number;
      capabilities?: string[];
      tags?: string[];
      tools?: string[];
      policy?: {
        allowedActions?: string[];
        blockedActions?: string[];
        escalation?: { channels: string[] };
        piiRedaction?: { enabled?: boolean; mode?: 'mask' | 'pseudonymize' | 'remove'; types?: string[] };
      };
      budget?: { maxCostPerRequest?: number; maxCostPerDay?: number };
    };

export interface DecideRequestView {
  persona: PersonaDescriptorView;
  action: string;
  tool?: string;
  sessionId?: string;
  /** An approval from an earlier require_approval decision: once approved, it allows this action once. */
  approvalId?: string;
  context?: { costSoFar?: number; mode?: 'dev' | 'prod'; time?: string };
  input?: string;
  output?: string;
  model?: { model: string; inputTokens?: number; maxTokens: number };
}

export interface BudgetReservationView {
  entries: { key: string; amount: number; ttlSeconds: number }[];
  reserved: number;
}

export interface DecisionView {
  decisionId: string;
  effect: 'allow' | 'deny' | 'require_approval';
  ruleIds: string[];
  reasons: string[];
  policyVersions: { constitution?: string; tenant?: string; persona?: string };
  override: boolean;
  pii: { found: string[]; input?: string; output?: string };
  budget?:
    | { ok: true; estimatedCost: number; reservation: BudgetReservationView }
    | {
        ok: false;
        estimatedCost: number;
        scope: string;
        limit: number;
        spent: number;
        requested: number;
        reason: string;
      };
  approval?: { id: string; state: 'pending' | 'approved' | 'denied'; escalationChannel: string };
}

export interface ApprovalView {
  id: string;
  decisionId: string;
  state: 'pending' | 'approved' | 'denied';
  personaName: string;
  action: string;
  tool: string | null;
  ruleIds: string[];
  reasons: string[];
  policyVersions: Record<string, string>;
  escalationChannel: string;
  inputRedacted: string | null;
  requestedBy: string;
  requestedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  comment: string;
  usedByDecision: string | null;
}

export interface PolicyVersionView {
  version: number;
  name: string;
  digest: string;
  createdBy: string;
  createdAt: string;
  document?: Record<string, unknown>;
  active?: boolean;
}

/** Typed client of the governance-policy service's HTTP API (/v1/governance/...). */
export class GovernanceClient {
  constructor(private readonly http: HttpClient) {}

  validatePack(pack: Record<string, unknown>): Promise<PackValidationView> {
    return this.http.request('POST', '/v1/governance/packs/validate', { pack });
  }

  decide(request: DecideRequestView): Promise<DecisionView> {
    return this.http.request('POST', '/v1/governance/decide', request);
  }

  dryRun(
    requests: Omit<DecideRequestView, 'model' | 'output'>[],
    document?: Record<string, unknown>,
  ): Promise<{ policy: string | null; decisions: Omit<DecisionView, 'decisionId'>[] }> {
    return this.http.request(
      'POST',
      '/v1/governance/dry-run',
      document ? { document, requests } : { requests },
    );
  }

  savePolicy(document: Record<string, unknown>, activate = true): Promise<PolicyVersionView> {
    return this.http.request('POST', '/v1/governance/policies', { document, activate });
  }

  policies(): Promise<{ active: number | null; versions: PolicyVersionView[] }> {
    return this.http.request('GET', '/v1/governance/policies');
  }

  activePolicy(): Promise<{ version: number; label: string; document: Record<string, unknown> }> {
    return this.http.request('GET', '/v1/governance/policies/active');
  }

  activatePolicy(version: number): Promise<PolicyVersionView> {
    return this.http.request('POST', `/v1/governance/policies/versions/${version}/activate`, {});
  }

  approvals(state?: 'pending' | 'approved' | 'denied'): Promise<{ approvals: ApprovalView[] }> {
    return this.http.request('GET', `/v1/governance/approvals${state ? `?state=${state}` : ''}`);
  }

  approval(id: string): Promise<ApprovalView> {
    return this.http.request('GET', `/v1/governance/approvals/${encodeURIComponent(id)}`);
  }

  approve(id: string, comment?: string): Promise<ApprovalView> {
    return this.http.request(
      'POST',
      `/v1/governance/approvals/${encodeURIComponent(id)}/approve`,
      comment ? { comment } : {},
    );
  }

  deny(id: string, comment?: string): Promise<ApprovalView> {
    return this.http.request(
      'POST',
      `/v1/governance/approvals/${encodeURIComponent(id)}/deny`,
      comment ? { comment } : {},
    );
  }

  chargeBudget(reservation: BudgetReservationView, actualCost: number): Promise<{ charged: number }> {
    return this.http.request('POST', '/v1/governance/budgets/charge', { reservation, actualCost });
  }

  budgets(query: { persona?: string; sessionId?: string } = {}): Promise<{
    day: string;
    backend: 'redis' | 'postgres';
    policy: string | null;
    counters: { scope: string; spent: number; limit: number | null }[];
    maxCostPerRequest: number | null;
  }> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const text = params.toString();
    return this.http.request('GET', `/v1/governance/budgets${text ? `?${text}` : ''}`);
  }
}
