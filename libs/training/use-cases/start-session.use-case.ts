import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { BasePersonaGateway, type VerifiedBase } from '../base/base-persona.gateway';
import { parseBaseRef } from '../domain/base-ref';
import { emptyPersonaPrompt } from '../domain/draft-prompt';
import { TrainingRecorder } from '../events/training.recorder';
import { insertSession } from '../store/session.store';
import type { SessionModel, SessionRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed } from './refusals';

/** The model name a persona without `models.primary` asks for: the deployment's default route. */
export const DEFAULT_MODEL = 'default';

export interface StartSession {
  /** A sealed version `name.vN`; absent for an empty persona. */
  basePersona?: string;
  /** The persona being trained: required without a base; with one, defaults to the base's name. */
  name?: string;
  /** Starting system prompt of an empty persona. */
  systemPrompt?: string;
}

/** Opens a session in TRAINING mode on a verified base (or an empty persona): one row, one `started` event. */
@Injectable()
export class StartSessionUseCase {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly bases: BasePersonaGateway,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(principal: Principal, token: string, input: StartSession): Promise<SessionRow> {
    if (input.basePersona === undefined && input.name === undefined)
      throw fieldError('name', 'required when no basePersona is given (training an empty persona)');
    if (input.basePersona !== undefined && input.systemPrompt !== undefined)
      throw fieldError('systemPrompt', "only for an empty persona; a base persona's prompt is its own");
    const base =
      input.basePersona === undefined
        ? undefined
        : await this.bases.resolve(token, allowed(parseBaseRef(input.basePersona), 'basePersona'));
    const row = newSessionRow(principal, input, base);
    return this.dataSource.transaction(async (manager) => {
      await insertSession(manager, row);
      await this.recorder.record(manager, principal, row, 1, [
        {
          topic: 'training.session',
          payload: (sequence) => ({
            event: {
              case: 'started',
              value: {
                sessionId: row.id,
                trainerId: principal.subject,
                basePersonaRef: row.baseRef ?? '',
                basePackDigest: row.baseDigest ?? '',
                personaName: row.personaName,
                mode: 'TRAINING',
                sequence,
              },
            },
          }),
        },
      ]);
      return row;
    });
  }
}

function newSessionRow(
  principal: Principal,
  input: StartSession,
  base: VerifiedBase | undefined,
): SessionRow {
  const name = input.name ?? base!.pack.metadata.name;
  const spec = base?.pack.spec;
  const primary = spec?.models.primary;
  const model: SessionModel = {
    model: primary?.model ?? DEFAULT_MODEL,
    ...(primary?.temperature !== undefined ? { temperature: primary.temperature } : {}),
    ...(primary?.maxTokens !== undefined ? { maxTokens: primary.maxTokens } : {}),
    fallbacks: (spec?.models.fallback ?? []).map((m) => ({
      model: m.model,
      ...(m.temperature !== undefined ? { temperature: m.temperature } : {}),
      ...(m.maxTokens !== undefined ? { maxTokens: m.maxTokens } : {}),
    })),
  };
  return {
    id: uuidv7(),
    tenantId: principal.tenantId,
    trainerId: principal.subject,
    personaName: name,
    baseRef: base?.ref ?? null,
    baseDigest: base?.digest ?? null,
    basePrompt: spec?.prompt.system ?? input.systemPrompt ?? emptyPersonaPrompt(name),
    model,
    examples: (spec?.prompt.examples ?? []).map((e) => ({ input: e.input, output: e.output })),
    guidance: [],
    state: 'open',
    lastSequence: 1,
    attachmentCount: 0,
    startedAt: new Date(),
    closingAt: null,
    closedAt: null,
    closedBy: null,
    closeReason: null,
    archiveKey: null,
    archiveSha256: null,
    archiveSize: null,
  };
}

function fieldError(field: string, reason: string): BadRequestException {
  return new BadRequestException({ message: `${field}: ${reason}`, errors: [{ field, reason }] });
}
