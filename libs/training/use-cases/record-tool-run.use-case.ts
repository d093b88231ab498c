import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { TRAINING_LIMITS } from '../domain/limits';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { PreparedDb } from '../store/prepared-db';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { openSessionOf, refuseAdding, tooLarge } from './refusals';

export const TOOL_RUN_STATUSES = ['succeeded', 'failed', 'rejected'] as const;
export const TOOL_INVOKERS = ['agent', 'trainer'] as const;

export interface ToolRun {
  tool: string;
  /** Any JSON: the arguments and the result as the tool saw them. */
  input: unknown;
  output?: unknown;
  status: (typeof TOOL_RUN_STATUSES)[number];
  durationMs: number;
  invokedBy: (typeof TOOL_INVOKERS)[number];
  error?: string;
}

/** Records one tool invocation (by the agent or the trainer) with its input, output, status and duration. */
@Injectable()
export class RecordToolRunUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly db: PreparedDb,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(
    principal: Principal,
    sessionId: string,
    run: ToolRun,
  ): Promise<RecordedEvent & { runId: string }> {
    const inputJson = boundedJson('input', run.input);
    const outputJson = run.output === undefined ? '' : boundedJson('output', run.output);
    const session = await openSessionOf(this.db, principal, sessionId);
    const runId = uuidv7();
    const recorded = await this.recorder.recordAtOnce(principal, session, [
      {
        topic: 'training.tools',
        payload: (sequence) => ({
          event: {
            case: 'run',
            value: {
              runId,
              tool: run.tool,
              inputJson,
              outputJson,
              status: run.status,
              durationMs: run.durationMs,
              invokedBy: run.invokedBy,
              error: run.error ?? '',
              sequence,
            },
          },
        }),
      },
    ]);
    if (!recorded) return refuseAdding(this.dataSource.manager, principal, sessionId);
    return { ...recorded[0]!, runId };
  }
}

function boundedJson(field: string, value: unknown): string {
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > TRAINING_LIMITS.toolJsonBytes)
    throw tooLarge(field, `at most ${TRAINING_LIMITS.toolJsonBytes} bytes of JSON (got ${bytes})`);
  return text;
}
