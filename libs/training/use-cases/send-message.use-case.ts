import { BadGatewayException, BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import {
  MODEL_PROVIDER,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '@personae/models';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { historyMessages, trainingPassages } from '../domain/conversation-history';
import { draftPrompt } from '../domain/draft-prompt';
import { TRAINING_LIMITS } from '../domain/limits';
import { TrainingRecorder, type NewTrainingEvent, type RecordedEvent } from '../events/training.recorder';
import { PreparedDb } from '../store/prepared-db';
import { sessionWithMemory } from '../store/session.store';
import { canAdd } from '../domain/session-state';
import type { SessionRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed, refuseAdding, sessionNotFound, tooLarge } from './refusals';

export interface ExchangeResult {
  trainerTurn: RecordedEvent;
  agentTurn: RecordedEvent;
  reply: string;
  model: string;
  provider: string;
}

/** What a streamed exchange yields: the recorded trainer turn, reply deltas, then the recorded agent turn. */
export type ExchangeChunk =
  | { type: 'trainer'; event: RecordedEvent }
  | { type: 'delta'; text: string }
  | { type: 'agent'; event: RecordedEvent; model: string; provider: string };

/**
 * The trainer says something, the agent answers through the model port with the draft prompt (the base
 * prompt plus what the trainer taught so far) and the recent conversation; both turns are recorded.
 */
@Injectable()
export class SendMessageUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly db: PreparedDb,
    @Inject(MODEL_PROVIDER) private readonly models: ModelProvider,
    private readonly recorder: TrainingRecorder,
  ) {}

  /** Asks first, then records both turns in one statement (a model failure records the trainer's turn alone). */
  async execute(principal: Principal, sessionId: string, content: string): Promise<ExchangeResult> {
    checkContent(content);
    const { session, request } = await this.prepare(principal, sessionId, content);
    const trainerTurnId = uuidv7();
    const started = Date.now();
    let response: ModelResponse;
    try {
      response = await this.models.complete(request);
    } catch (error) {
      const [trainerTurn] = await this.recordTurns(principal, session, [
        trainerTurnEvent(trainerTurnId, content),
      ]);
      throw modelFailure(error, trainerTurn!);
    }
    const [trainerTurn, agentTurn] = await this.recordTurns(principal, session, [
      trainerTurnEvent(trainerTurnId, content),
      agentTurnEvent(trainerTurnId, response, Date.now() - started),
    ]);
    return {
      trainerTurn: trainerTurn!,
      agentTurn: agentTurn!,
      reply: response.content,
      model: response.model,
      provider: response.provider,
    };
  }

  /** The streamed exchange: the trainer's turn is recorded before the model starts, the agent's at the end. */
  async *stream(
    principal: Principal,
    sessionId: string,
    content: string,
    signal: AbortSignal,
  ): AsyncGenerator<ExchangeChunk> {
    checkContent(content);
    const { session, request } = await this.prepare(principal, sessionId, content);
    const trainerTurnId = uuidv7();
    const [trainerTurn] = await this.recordTurns(principal, session, [
      trainerTurnEvent(trainerTurnId, content),
    ]);
    yield { type: 'trainer', event: trainerTurn! };
    const started = Date.now();
    let response: ModelResponse | undefined;
    try {
      for await (const chunk of this.models.stream({ ...request, signal })) {
        if (chunk.type === 'content') yield { type: 'delta', text: chunk.text };
        else response = chunk.response;
      }
    } catch (error) {
      throw modelFailure(error, trainerTurn!);
    }
    if (!response) throw new BadGatewayException('the model stream ended without a response');
    const [agentTurn] = await this.recordTurns(principal, session, [
      agentTurnEvent(trainerTurnId, response, Date.now() - started),
    ]);
    yield { type: 'agent', event: agentTurn!, model: response.model, provider: response.provider };
  }

  private async prepare(
    principal: Principal,
    sessionId: string,
    content: string,
  ): Promise<{ session: SessionRow; request: ModelRequest }> {
    const found = await sessionWithMemory(this.db, principal.tenantId, sessionId);
    if (!found) throw sessionNotFound(sessionId);
    const { session, turns } = found;
    allowed(canAdd(session.id, session.state));
    const request: ModelRequest = {
      model: session.model.model,
      ...(session.model.temperature !== undefined ? { temperature: session.model.temperature } : {}),
      ...(session.model.maxTokens !== undefined ? { maxTokens: session.model.maxTokens } : {}),
      fallbacks: session.model.fallbacks,
      messages: [
        { role: 'system', content: draftPrompt(session.basePrompt, session.guidance) },
        ...historyMessages(turns),
        { role: 'user', content },
      ],
      context: { passages: trainingPassages(turns, session.examples) },
    };
    return { session, request };
  }

  private async recordTurns(
    principal: Principal,
    session: SessionRow,
    events: NewTrainingEvent[],
  ): Promise<RecordedEvent[]> {
    return (
      (await this.recorder.recordAtOnce(principal, session, events)) ??
      refuseAdding(this.dataSource.manager, principal, session.id)
    );
  }
}

function checkContent(content: string): void {
  if (content.trim() === '')
    throw new BadRequestException({
      message: 'content: must not be empty',
      errors: [{ field: 'content', reason: 'must not be empty' }],
    });
  if (content.length > TRAINING_LIMITS.messageChars)
    throw tooLarge(
      'content',
      `a message is at most ${TRAINING_LIMITS.messageChars} characters (got ${content.length})`,
    );
}

function trainerTurnEvent(turnId: string, content: string): NewTrainingEvent {
  return {
    topic: 'training.conversation',
    role: 'trainer',
    content,
    payload: (sequence) => ({
      event: { case: 'turn', value: { turnId, role: 'trainer', content, sequence } },
    }),
  };
}

function agentTurnEvent(replyTo: string, response: ModelResponse, latencyMs: number): NewTrainingEvent {
  return {
    topic: 'training.conversation',
    role: 'agent',
    content: response.content,
    payload: (sequence) => ({
      event: {
        case: 'turn',
        value: {
          turnId: uuidv7(),
          role: 'agent',
          content: response.content,
          model: response.model,
          provider: response.provider,
          tokensIn: response.usage.promptTokens,
          tokensOut: response.usage.completionTokens,
          latencyMs,
          replyTo,
          sequence,
        },
      },
    }),
  };
}

function modelFailure(error: unknown, trainerTurn: RecordedEvent): Error {
  if (!(error instanceof ModelError)) return error as Error;
  return new BadGatewayException(
    `the model did not answer (${error.message}); the trainer's message was recorded as event ${trainerTurn.id}`,
  );
}
