import { performance } from 'node:perf_hooks';
import { ModelError } from '@personae/models';
import {
  sha256Of,
  type ComplianceReceipt,
  type ReceiptDecision,
  type SignedReceipt,
} from '../domain/compliance-receipt';
import type { MemoryMessage } from '../domain/prompt-assembly';
import type { VerifiedPersona } from '../personas/verified-persona';
import type { InstanceRow, NewMessage } from '../store/instance.rows';
import type { ExecutionRequest, ExecutionResult } from './execution-types';
import type { TurnsResult } from './model-turns';

/** What an execution runs against: the verified persona, the instance (null when stateless) and its memory. */
export interface Target {
  persona: VerifiedPersona;
  instance: InstanceRow | null;
  history: MemoryMessage[];
  context?: string;
  /** Why the instance's persona can no longer be run (it no longer verifies). */
  refusal?: string[];
}

/** What a Run needs from its owner to finish: a signature and the one-statement record. */
export interface RunOwner {
  sign(receipt: ComplianceReceipt): Promise<SignedReceipt>;
  record(run: Run, result: ExecutionResult, memory: NewMessage[]): Promise<void>;
}

/** The state of one execution while it runs; builds the result and receipt whichever way it ends. */
export class Run {
  readonly decisions: ReceiptDecision[] = [];
  modelMs = 0;
  /** Waiting for the database: the instance read (with the persona lookup) and the record. */
  storeMs = 0;

  constructor(
    private readonly owner: RunOwner,
    readonly request: ExecutionRequest,
    readonly target: Target,
    private readonly startedAt: Date,
    readonly executionId: string,
    /** performance.now() when the execution began, before the instance was read. */
    private readonly started: number,
  ) {}

  async deny(step: string, reasons: string[]): Promise<ExecutionResult> {
    if (!this.decisions.some((d) => d.effect === 'deny' || d.effect === 'require_approval'))
      this.decisions.push({ step, effect: 'deny', ruleIds: [], reasons });
    const content = `Denied (${step}): ${reasons.join('; ')}`;
    return this.finish({ outcome: 'denied', content, finishReason: 'denied', denial: { step, reasons } }, []);
  }

  async fail(error: unknown, status?: number): Promise<ExecutionResult> {
    const reason = error instanceof Error ? error.message : String(error);
    const code = status ?? (error instanceof ModelError && error.kind === 'timeout' ? 504 : 502);
    const what = status === undefined ? `the model failed: ${reason}` : reason;
    return this.finish(
      { outcome: 'failed', content: '', finishReason: 'error', failure: { status: code, reason: what } },
      [],
    );
  }

  async complete(input: {
    turns: TurnsResult;
    output: string;
    denied?: { step: string; reasons: string[] };
    cost: number;
    memory: NewMessage[];
    toolCalls: ExecutionResult['toolCalls'];
  }): Promise<ExecutionResult> {
    const { turns } = input;
    return this.finish(
      {
        outcome: input.denied ? 'denied' : 'completed',
        content: input.denied
          ? `Denied (${input.denied.step}): ${input.denied.reasons.join('; ')}`
          : input.output,
        finishReason: input.denied ? 'denied' : turns.finishReason,
        model: turns.model,
        provider: turns.provider,
        usage: {
          promptTokens: turns.promptTokens,
          completionTokens: turns.completionTokens,
          estimated: turns.estimated,
        },
        cost: input.cost,
        toolCalls: input.toolCalls,
        ...(input.denied ? { denial: input.denied } : {}),
      },
      input.denied ? [] : input.memory,
    );
  }

  private async finish(
    partial: Partial<ExecutionResult> & Pick<ExecutionResult, 'outcome' | 'content' | 'finishReason'>,
    memory: NewMessage[],
  ): Promise<ExecutionResult> {
    const { persona, instance } = this.target;
    const completedAt = new Date();
    const usage = partial.usage ?? { promptTokens: 0, completionTokens: 0, estimated: false };
    const cost = partial.cost ?? 0;
    const receipt: ComplianceReceipt = {
      receiptId: this.executionId,
      v: 1,
      tenant: this.request.principal.tenantId,
      principal: this.request.principal.subject,
      persona: { ref: persona.ref, digest: persona.digest },
      instance: instance?.id ?? null,
      session: instance?.sessionId ?? null,
      action: this.request.action,
      outcome: partial.outcome,
      inputSha256: sha256Of(this.request.input),
      outputSha256: partial.outcome === 'failed' ? '' : sha256Of(partial.content),
      decisions: this.decisions,
      model: partial.model ?? null,
      tokens: { input: usage.promptTokens, output: usage.completionTokens },
      cost,
      startedAt: this.startedAt.toISOString(),
      completedAt: completedAt.toISOString(),
    };
    const result: ExecutionResult = {
      executionId: this.executionId,
      personaRef: persona.ref,
      digest: persona.digest,
      instanceId: instance?.id ?? null,
      sessionId: instance?.sessionId ?? null,
      model: null,
      provider: null,
      usage,
      cost,
      toolCalls: [],
      decisions: this.decisions,
      latencyMs: completedAt.getTime() - this.startedAt.getTime(),
      timings: { totalMs: 0, modelMs: this.modelMs, storeMs: 0 },
      ...partial,
      receipt: await this.owner.sign(receipt),
    };
    const recordStarted = performance.now();
    await this.owner.record(this, result, memory);
    // All of it, from before the instance was read to the record's commit (Server-Timing says so).
    result.timings.totalMs = performance.now() - this.started;
    result.timings.storeMs = this.storeMs + (performance.now() - recordStarted);
    return result;
  }
}

export function isRefusal(error: unknown): boolean {
  const status = (error as { getStatus?: () => number }).getStatus?.();
  return status === 403 || status === 410 || status === 422;
}

/** Stands for a persona that no longer verifies: enough to deny with a receipt, never to run. */
export function unverified(instance: InstanceRow): VerifiedPersona {
  return {
    tenantId: instance.tenantId,
    ref: `${instance.personaName}.v${instance.version}`,
    name: instance.personaName,
    version: instance.version,
    digest: instance.digest,
    pack: { spec: { tools: [] } } as unknown as VerifiedPersona['pack'],
    keyId: '',
    logIndex: -1,
  };
}
