import type { Response } from 'express';
import type { ExecutionResult } from '../execution/execution-types';

/** The native API's view of an execution. */
export function executionView(result: ExecutionResult) {
  return {
    executionId: result.executionId,
    outcome: result.outcome,
    persona: { ref: result.personaRef, digest: result.digest },
    instanceId: result.instanceId,
    sessionId: result.sessionId,
    content: result.content,
    finishReason: result.finishReason,
    model: result.model,
    provider: result.provider,
    usage: result.usage,
    cost: result.cost,
    toolCalls: result.toolCalls,
    decisions: result.decisions,
    ...(result.denial ? { denial: result.denial } : {}),
    ...(result.failure ? { error: result.failure.reason } : {}),
    receipt: result.receipt,
    latencyMs: result.latencyMs,
  };
}

/**
 * `Server-Timing: runtime;dur=…, model;dur=…, store;dur=…`: the runtime's own time (everything but
 * the model and tool calls, from the instance read to the committed record), the time it waited for
 * them, and of its own time the part spent waiting for the database; for clients and benchmarks.
 */
export function serverTiming(result: ExecutionResult): string {
  const { totalMs, modelMs, storeMs } = result.timings;
  return (
    `runtime;dur=${(totalMs - modelMs).toFixed(3)}, model;dur=${modelMs.toFixed(3)}, ` +
    `store;dur=${storeMs.toFixed(3)}`
  );
}

/** 200 completed, 403 denied (with its reasons), 502/504 when the model failed; a receipt in every case. */
export function statusOf(result: ExecutionResult): number {
  if (result.outcome === 'denied') return 403;
  if (result.outcome === 'failed') return result.failure?.status ?? 502;
  return 200;
}

/** Server-sent events, started lazily so an answer that never streams can still get a plain status. */
export class SseWriter {
  private started = false;

  constructor(private readonly response: Response) {}

  get isStarted(): boolean {
    return this.started;
  }

  event(name: string | undefined, data: unknown): void {
    this.start();
    this.response.write(
      `${name ? `event: ${name}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  }

  end(): void {
    this.start();
    this.response.end();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.response.status(200);
    this.response.setHeader('content-type', 'text/event-stream; charset=utf-8');
    this.response.setHeader('cache-control', 'no-cache');
    this.response.setHeader('x-accel-buffering', 'no');
    this.response.flushHeaders();
  }
}
