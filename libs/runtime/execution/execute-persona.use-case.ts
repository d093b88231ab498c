import {
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { uuidv7 } from '@personae/contracts';
import { estimateMessagesTokens, MODEL_PROVIDER, type ModelProvider } from '@personae/models';
import type { ComplianceReceipt, SignedReceipt } from '../domain/compliance-receipt';
import { assemblePrompt } from '../domain/prompt-assembly';
import { costOfCalls, dearestOf, parsePriceTable, priceOf, type PriceEntry } from '../domain/price-table';
import { PersonaResolver } from '../personas/persona-resolver';
import type { VerifiedPersona } from '../personas/verified-persona';
import { ReceiptKeys } from '../receipts/receipt-keys';
import type { NewMessage } from '../store/instance.rows';
import { RuntimeStore } from '../store/runtime.store';
import { Instances } from '../sessions/instances.use-case';
import { ToolEndpoints } from '../tools/tool-endpoints';
import { ToolInvoker } from '../tools/tool-invoker';
import { BudgetStep } from './budget.step';
import { ExecutionRecorder } from './execution-recorder';
import { isRefusal, Run, unverified, type RunOwner, type Target } from './execution-run';
import type { ExecutionRequest, ExecutionResult, ExecutionSink } from './execution-types';
import { InputGovernance } from './input-governance.step';
import { KnowledgeStep } from './knowledge.step';
import { isModelFailure, offeredTools, runTurns, type TurnsResult } from './model-turns';
import { OutputGovernance } from './output-governance.step';
import { PolicyDecisions } from './policy-decisions';
import { TenantPolicyLayers, TenantPolicyUnavailable } from './tenant-policy-layers';

/** Held back from the context window for the answer when the pack sets no maxTokens. */
const DEFAULT_ANSWER_TOKENS = 1024;

/**
 * One governed execution: input governance (redaction, action check; a daily budget just found
 * exhausted) → prompt (system, persona instructions, starter context, knowledge, few-shot, history
 * trimmed to the window) → budget pre-check: the prompt and max_tokens reserved, max_tokens capped by
 * what the budget can still pay (the prompt's size is known only now) → model (primary, fallbacks)
 * with tool calls checked against the bundle and governance → output governance → cost → signed receipt →
 * recorded with the memory and totals in one transaction, with its runtime.executions event.
 * A denial or a model failure still gets its receipt; memory changes only on success.
 */
@Injectable()
export class ExecutePersona implements RunOwner {
  private readonly prices: PriceEntry[];
  private readonly defaultModel: string;
  private readonly maxInputChars: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(MODEL_PROVIDER) private readonly models: ModelProvider,
    private readonly resolver: PersonaResolver,
    private readonly store: RuntimeStore,
    private readonly receipts: ReceiptKeys,
    private readonly endpoints: ToolEndpoints,
    private readonly invoker: ToolInvoker,
    private readonly inputGovernance: InputGovernance,
    private readonly budget: BudgetStep,
    private readonly knowledge: KnowledgeStep,
    private readonly outputGovernance: OutputGovernance,
    private readonly policy: PolicyDecisions,
    private readonly instances: Instances,
    private readonly recorder: ExecutionRecorder,
    private readonly tenantPolicies: TenantPolicyLayers,
  ) {
    this.prices = parsePriceTable(config.runtime.prices);
    this.defaultModel = config.runtime.defaultModel;
    this.maxInputChars = config.runtime.maxInputChars;
  }

  async execute(request: ExecutionRequest, sink?: ExecutionSink): Promise<ExecutionResult> {
    this.receipts.assertReady();
    const started = performance.now();
    const startedAt = new Date();
    if (request.input.length > this.maxInputChars)
      throw new PayloadTooLargeException(
        `the input has ${request.input.length} characters; this runtime accepts at most ${this.maxInputChars}`,
      );
    const target = await this.target(request);
    const { persona, instance } = target;
    const run = new Run(this, request, target, startedAt, uuidv7(startedAt.getTime()), started);
    run.storeMs = performance.now() - started;

    if (target.refusal) return run.deny('verification', target.refusal);
    const revocation = this.resolver.revocationOf(request.principal.tenantId, persona);
    if (revocation) return run.deny('revocation', [revocation]);
    try {
      await this.tenantPolicies.prepare({ tenantId: request.principal.tenantId, token: request.token });
    } catch (error) {
      if (error instanceof TenantPolicyUnavailable) return run.deny('policy', [error.message]);
      throw error;
    }

    const input = this.inputGovernance.check({
      persona,
      principal: request.principal,
      action: request.action,
      input: request.input,
      mode: this.resolver.mode,
      costSoFar: instance?.totals.cost ?? 0,
      pseudonymScope: instance?.id ?? run.executionId,
    });
    run.decisions.push(...input.decisions);
    if (input.denied) return run.deny(input.denied.step, input.denied.reasons);

    const budgetContext = {
      persona,
      tenantId: request.principal.tenantId,
      sessionId: instance?.sessionId ?? null,
    };
    // A day this process just found exhausted is denied before any work (knowledge search, prompt).
    const exhausted = this.budget.knownExhausted(budgetContext);
    if (exhausted) {
      run.decisions.push(exhausted);
      return run.deny('budget', exhausted.reasons);
    }

    const spec = persona.pack.spec;
    const model = spec.models.primary?.model ?? this.defaultModel;
    const price = priceOf(this.prices, model);
    // A fallback may answer instead: the reservation covers the dearest of them.
    const dearest = dearestOf([price, ...spec.models.fallback.map((f) => priceOf(this.prices, f.model))]);
    let passages: Awaited<ReturnType<KnowledgeStep['retrieve']>>;
    try {
      passages = await this.knowledge.retrieve(request, persona, input.text);
    } catch (error) {
      // Work was attempted: the failure gets its receipt like a model failure.
      return run.fail(error, 502);
    }
    const answerTokens = Math.min(
      request.maxTokens ?? Infinity,
      spec.models.primary?.maxTokens ?? DEFAULT_ANSWER_TOKENS,
    );
    const prompt = assemblePrompt({
      pack: persona.pack,
      digest: persona.digest,
      ...(target.context ? { context: target.context } : {}),
      history: target.history,
      input: input.text,
      passages,
      contextTokens: price.contextTokens,
      reserveForAnswer: Math.min(answerTokens, Math.floor(price.contextTokens / 2)),
    });
    // max_tokens: what the pack allows, capped by what the remaining budget can pay for.
    const budget = await this.budget.reserveAnswer(budgetContext, {
      price: dearest,
      model,
      promptTokens: prompt.promptTokens,
      wanted: answerTokens,
    });
    run.decisions.push(budget.decision);
    if (!budget.ok) return run.deny('budget', budget.decision.reasons);
    const { maxTokens } = budget;
    // One hold per model call: a tool round's follow-up call reserves its own before it is made.
    const reservations = [budget.reservation];
    const settle = (cost: number) =>
      Promise.all(reservations.map((held, i) => this.budget.settle(held, i === 0 ? cost : 0)));

    const endpoints = await this.endpoints.forTenant(request.principal.tenantId);
    const tools = offeredTools(spec.tools, endpoints);
    const redactor = this.outputGovernance.redactor(persona, instance?.id ?? run.executionId);
    let turns: TurnsResult;
    const modelStarted = performance.now();
    try {
      turns = await runTurns({
        models: this.models,
        request: {
          model,
          messages: prompt.messages,
          ...(spec.models.primary
            ? { temperature: request.temperature ?? spec.models.primary.temperature }
            : request.temperature !== undefined
              ? { temperature: request.temperature }
              : {}),
          maxTokens,
          ...(tools.length > 0 ? { tools } : {}),
          ...(passages.length > 0 ? { context: { passages } } : {}),
          fallbacks: spec.models.fallback.map((f) => ({
            model: f.model,
            temperature: f.temperature,
            maxTokens: Math.min(f.maxTokens, maxTokens),
          })),
          ...(request.signal ? { signal: request.signal } : {}),
        },
        persona,
        principal: request.principal,
        endpoints,
        invoker: this.invoker,
        decideTool: (tool) =>
          this.policy.decide(persona, request.principal, tool, {
            tool,
            mode: this.resolver.mode,
            costSoFar: instance?.totals.cost ?? 0,
          }),
        instanceId: instance?.id ?? null,
        executionId: run.executionId,
        beforeFollowUp: async (messages) => {
          const next = await this.budget.reserveAnswer(budgetContext, {
            price: dearest,
            model,
            promptTokens: estimateMessagesTokens(messages, tools),
            wanted: maxTokens,
          });
          if (!next.ok) {
            const reasons = next.decision.reasons.map((r) => `the model's turn after its tool calls: ${r}`);
            return { denied: { ...next.decision, reasons } };
          }
          reservations.push(next.reservation);
          return { maxTokens: next.maxTokens };
        },
        ...(sink
          ? {
              onContent: (text: string) => {
                const safe = redactor.push(text);
                if (safe) sink.content(safe);
              },
              ...(sink.tool ? { onTool: sink.tool.bind(sink) } : {}),
            }
          : {}),
      });
    } catch (error) {
      await settle(0);
      if (!isModelFailure(error)) throw error;
      run.modelMs = performance.now() - modelStarted;
      return run.fail(error);
    }
    // Model and tool time: what the runtime waited for, reported apart from its own overhead.
    run.modelMs = performance.now() - modelStarted;
    const tail = redactor.flush();
    if (tail && sink) sink.content(tail);
    run.decisions.push(...turns.decisions);
    const output = this.outputGovernance.finish(persona, turns, redactor);
    run.decisions.push(...output.decisions);
    const cost = costOfCalls(this.prices, turns.calls);
    await settle(cost);
    const memory: NewMessage[] = [
      { role: 'user', content: input.text },
      ...turns.transcript.slice(0, -1).map((m) => ({
        role: m.role as NewMessage['role'],
        content: m.role === 'tool' ? m.content : output.redact(m.content),
        ...(m.toolCalls ? { toolCalls: m.toolCalls } : {}),
        ...(m.toolCallId ? { toolCallId: m.toolCallId } : {}),
      })),
      { role: 'assistant', content: output.text },
    ];
    return run.complete({
      turns,
      output: output.text,
      // Tools ran, but the budget could not pay for the model's answer to them.
      denied: turns.stopped ? { step: 'budget', reasons: turns.stopped.reasons } : output.denied,
      cost,
      memory,
      toolCalls: turns.toolCalls,
    });
  }

  private async target(request: ExecutionRequest): Promise<Target> {
    const caller = { tenantId: request.principal.tenantId, token: request.token };
    if (!request.instanceId) {
      if (!request.ref) throw new NotFoundException('name an instance or a persona ref');
      const persona = await this.resolver.resolve(caller, request.ref);
      const history = (request.history ?? []).map((m) => ({ ...m, personaDigest: persona.digest }));
      return { persona, instance: null, history, ...(request.context ? { context: request.context } : {}) };
    }
    const found = await this.store.forExecution(request.principal.tenantId, request.instanceId);
    if (!found) throw new NotFoundException(`no instance ${request.instanceId}`);
    if (found.instance.status !== 'active')
      throw new ConflictException(
        `instance ${request.instanceId} is terminated (${found.instance.terminatedReason ?? 'no reason'})`,
      );
    let { instance } = found;
    let persona: VerifiedPersona;
    try {
      persona = await this.resolver.byDigest(caller, instance.personaName, instance.version, instance.digest);
      if (instance.ref.includes('@')) {
        // A channel instance follows its channel: a promotion or rollback takes effect at the next request.
        const current = await this.resolver.resolve(caller, instance.ref);
        if (current.digest !== instance.digest) {
          instance = (
            await this.instances.swapTo(
              request.principal,
              instance.id,
              instance.ref,
              current,
              'carry',
              instance,
            )
          ).instance;
          persona = current;
        }
      }
    } catch (error) {
      // A persona that can no longer be verified (revoked, tampered) is refused with a receipt.
      if (isRefusal(error))
        return { persona: unverified(instance), instance, history: [], refusal: [(error as Error).message] };
      throw error;
    }
    return {
      persona,
      instance,
      history: found.history,
      ...(instance.context ? { context: instance.context } : {}),
    };
  }

  // ---- RunOwner: what a Run needs to finish ----

  sign(receipt: ComplianceReceipt): Promise<SignedReceipt> {
    return this.receipts.sign(receipt);
  }

  record(run: Run, result: ExecutionResult, memory: NewMessage[]): Promise<void> {
    return this.recorder.record(run.request, run.target, result, memory);
  }
}
