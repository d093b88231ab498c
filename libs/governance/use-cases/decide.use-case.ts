import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { estimateTokens } from '@personae/models';
import {
  chargeBudget,
  checkBudget,
  decide,
  effectiveBudgetLimits,
  maxCallCost,
  policyVersionLabel,
  priceOf,
  type BudgetCheck,
  type Decision,
  type DecisionRequest,
} from '@personae/policy';
import { InjectDataSource } from '@personae/persistence';
import { IsNull, type DataSource } from 'typeorm';
import { BudgetStore } from '../adapters/budget-store';
import { redeemApproval } from '../domain/approval';
import type { DecideBody } from '../domain/decide-body.schema';
import { personaLabel, type PersonaFacts } from '../domain/persona-facts';
import { scanText, type ScannedText } from '../domain/pii-scan';
import { DecisionsPublisher } from '../events/decisions.publisher';
import { governanceTables, GOVERNANCE_SCHEMA } from '../store/governance-tables';
import { TenantPolicies, type ActiveTenantPolicy } from '../store/tenant-policies';
import { decisionRequest, layersFor } from './decision-input';
import { PersonaFactsResolver } from './persona-facts.resolver';

export interface DecideResult extends Decision {
  decisionId: string;
  pii: { found: string[]; input?: string; output?: string };
  budget?: { estimatedCost: number } & (
    | { ok: true; reservation: Extract<BudgetCheck, { ok: true }>['reservation'] }
    | (Omit<Extract<BudgetCheck, { ok: false }>, 'ok'> & { ok: false })
  );
  approval?: { id: string; state: 'pending' | 'approved' | 'denied'; escalationChannel: string };
}

/** An approval the request presented, and what it did to the decision. */
interface Presented {
  id: string;
  escalationChannel: string;
  outcome: 'allow' | 'deny' | 'pending';
}

/**
 * One decision: resolve the persona, scan and redact its input/output, decide against the three layers,
 * then (when allowed and a model call is announced) reserve its maximum cost on the budgets. The decision
 * event and, for require_approval, the approval request commit in one transaction.
 */
@Injectable()
export class DecideAction {
  constructor(
    @InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource,
    private readonly personas: PersonaFactsResolver,
    private readonly policies: TenantPolicies,
    private readonly budgets: BudgetStore,
    private readonly publisher: DecisionsPublisher,
  ) {}

  async execute(principal: Principal, token: string, body: DecideBody): Promise<DecideResult> {
    const facts = await this.personas.facts(token, body.persona);
    const tenantPolicy = await this.policies.active(principal);
    const input = body.input === undefined ? undefined : scanText(body.input, facts.piiRedaction);
    const output = body.output === undefined ? undefined : scanText(body.output, facts.piiRedaction);
    const request = decisionRequest(principal, body, facts, [input, output]);
    let decision = decide(request, layersFor(facts, tenantPolicy));
    let presented: Presented | undefined;
    if (decision.effect === 'require_approval' && body.approvalId) {
      presented = await this.presented(principal, body.approvalId, facts, request);
      if (presented.outcome !== 'pending')
        decision = {
          ...decision,
          effect: presented.outcome,
          ruleIds: [`approval:${presented.id}`],
          reasons: [
            presented.outcome === 'allow'
              ? 'a reviewer approved this action'
              : 'a reviewer denied this action',
          ],
        };
    }
    let budget: DecideResult['budget'];
    if (decision.effect === 'allow' && body.model) {
      budget = await this.reserve(principal, body, facts, tenantPolicy);
      if (!budget.ok)
        decision = {
          ...decision,
          effect: 'deny',
          ruleIds: [`budget:${budget.scope}`],
          reasons: [budget.reason],
        };
    }
    const decisionId = uuidv7();
    try {
      const approval = await this.record(
        principal,
        body,
        facts,
        request,
        decision,
        decisionId,
        input,
        presented,
      );
      return {
        decisionId,
        ...decision,
        pii: {
          found: request.context.piiFound ? [...request.context.piiFound] : [],
          ...(input ? { input: input.text } : {}),
          ...(output ? { output: output.text } : {}),
        },
        ...(budget ? { budget } : {}),
        ...(approval ? { approval } : {}),
      };
    } catch (error) {
      // Nothing was recorded, so nothing may stay reserved.
      if (budget?.ok) await chargeBudget(this.budgets.counters, budget.reservation, 0);
      throw error;
    }
  }

  private async presented(
    principal: Principal,
    approvalId: string,
    facts: PersonaFacts,
    request: DecisionRequest,
  ): Promise<Presented> {
    const approval = await governanceTables(this.dataSource.manager, principal).approvals.findOne({
      id: approvalId,
    });
    if (!approval)
      throw new UnprocessableEntityException({
        message: `unknown approval ${approvalId}`,
        errors: [{ field: '/approvalId', reason: 'names no approval of this tenant' }],
      });
    const redemption = redeemApproval(approval, {
      persona: personaLabel(facts),
      action: request.action,
      ...(request.tool === undefined ? {} : { tool: request.tool }),
    });
    if (redemption.kind === 'invalid')
      throw new ConflictException({
        message: redemption.reason,
        errors: [{ field: '/approvalId', reason: redemption.reason }],
      });
    return { id: approval.id, escalationChannel: approval.escalationChannel, outcome: redemption.kind };
  }

  private async reserve(
    principal: Principal,
    body: DecideBody,
    facts: PersonaFacts,
    tenantPolicy: ActiveTenantPolicy | undefined,
  ): Promise<NonNullable<DecideResult['budget']>> {
    const call = body.model!;
    const price = priceOf(this.budgets.prices, call.model);
    if (!price)
      throw new UnprocessableEntityException({
        message: `no price is configured for the model ${call.model}`,
        errors: [{ field: '/model/model', reason: 'has no price (GOVERNANCE_MODEL_PRICES)' }],
      });
    const inputTokens = call.inputTokens ?? estimateTokens(body.input ?? '');
    const estimatedCost = maxCallCost(price, inputTokens, call.maxTokens);
    const check = await checkBudget(this.budgets.counters, {
      subject: {
        tenant: principal.tenantId,
        persona: facts.name,
        ...(body.sessionId ? { sessionId: body.sessionId } : {}),
      },
      limits: effectiveBudgetLimits(facts.budget, tenantPolicy?.document.limits?.budgets),
      estimatedCost,
    });
    if (check.ok) return { ok: true, estimatedCost, reservation: check.reservation };
    const { ok: _ok, ...refusal } = check;
    return { ok: false, estimatedCost, ...refusal };
  }

  private record(
    principal: Principal,
    body: DecideBody,
    facts: PersonaFacts,
    request: DecisionRequest,
    decision: Decision,
    decisionId: string,
    input: ScannedText | undefined,
    presented: Presented | undefined,
  ): Promise<DecideResult['approval']> {
    const persona = personaLabel(facts);
    const policyVersion = policyVersionLabel(decision.policyVersions);
    const subject = { persona: facts.name, ...(body.sessionId ? { sessionId: body.sessionId } : {}) };
    return this.dataSource.transaction(async (manager) => {
      await this.publisher.publish(manager, principal, subject, {
        case: 'decision',
        value: {
          decisionId,
          subjectKind: request.tool === undefined ? 'action' : 'tool',
          subject: request.tool ?? request.action,
          outcome: decision.effect,
          ruleIds: decision.ruleIds,
          policyVersion,
          reasons: decision.reasons,
          override: decision.override,
          piiTypes: request.context.piiFound ? [...request.context.piiFound] : [],
          persona,
          budgetScope: decision.ruleIds[0]?.startsWith('budget:') ? decision.ruleIds[0].slice(7) : '',
        },
      });
      if (presented?.outcome === 'allow') {
        // Single use: of two decisions presenting one approval, only the first is allowed.
        const used = await governanceTables(manager, principal).approvals.update(
          { id: presented.id, state: 'approved', usedByDecision: IsNull() },
          { usedByDecision: decisionId },
        );
        if (used === 0) throw new ConflictException('the approval was already used');
      }
      if (presented)
        return {
          id: presented.id,
          state:
            presented.outcome === 'allow' ? 'approved' : presented.outcome === 'deny' ? 'denied' : 'pending',
          escalationChannel: presented.escalationChannel,
        };
      if (decision.effect !== 'require_approval') return undefined;
      const id = uuidv7();
      await governanceTables(manager, principal).approvals.insert({
        id,
        decisionId,
        state: 'pending',
        personaName: persona,
        action: request.action,
        tool: request.tool ?? null,
        ruleIds: decision.ruleIds,
        reasons: decision.reasons,
        policyVersions: decision.policyVersions as Record<string, string>,
        escalationChannel: facts.escalationChannel,
        inputRedacted: input?.text ?? null,
        requestedBy: principal.subject,
        requestedAt: new Date(),
        resolvedBy: null,
        resolvedAt: null,
        comment: '',
        usedByDecision: null,
      });
      await this.publisher.publish(manager, principal, subject, {
        case: 'approvalRequested',
        value: { approvalId: id, decisionId, escalationChannel: facts.escalationChannel, policyVersion },
      });
      return { id, state: 'pending' as const, escalationChannel: facts.escalationChannel };
    });
  }
}
