import { Injectable } from '@nestjs/common';
import { newEvent } from '@personae/contracts';
import { toOutgoingRecord } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { NewMessage } from '../store/instance.rows';
import { ExecutionsStore } from '../store/executions.store';
import type { Target } from './execution-run';
import type { ExecutionRequest, ExecutionResult } from './execution-types';

/** Records a finished execution (completed, denied or failed) with its runtime.executions event. */
@Injectable()
export class ExecutionRecorder {
  constructor(private readonly store: ExecutionsStore) {}

  async record(
    request: ExecutionRequest,
    target: Target,
    result: ExecutionResult,
    memory: NewMessage[],
  ): Promise<void> {
    const event = newEvent({
      topic: 'runtime.executions',
      key: target.instance?.id ?? result.executionId,
      tenantId: request.principal.tenantId,
      actor: { kind: 'orchestrator', id: request.principal.subject },
      personaRef: result.personaRef,
      sessionId: target.instance?.sessionId ?? '',
      correlationId: currentCorrelationId(),
      payload: {
        event: {
          case: 'completed',
          value: {
            executionId: result.executionId,
            instanceId: target.instance?.id ?? '',
            personaRef: result.personaRef,
            packSha256: result.digest,
            action: request.action,
            outcome: result.outcome,
            inputSha256: result.receipt.receipt.inputSha256,
            outputSha256: result.receipt.receipt.outputSha256,
            model: result.model ?? '',
            tokensIn: result.usage.promptTokens,
            tokensOut: result.usage.completionTokens,
            cost: result.cost,
            latencyMs: result.latencyMs,
            receiptId: result.receipt.receipt.receiptId,
            decisionIds: result.decisions.flatMap((d) => d.ruleIds),
          },
        },
      },
    });
    await this.store.recordExecution(
      {
        id: result.executionId,
        tenantId: request.principal.tenantId,
        instanceId: target.instance?.id ?? null,
        sessionId: target.instance?.sessionId ?? null,
        personaRef: result.personaRef,
        digest: result.digest,
        action: request.action,
        outcome: result.outcome,
        model: result.model,
        tokensIn: result.usage.promptTokens,
        tokensOut: result.usage.completionTokens,
        cost: result.cost,
        latencyMs: result.latencyMs,
        receipt: result.receipt,
        messages: memory,
      },
      toOutgoingRecord(event),
    );
  }
}
