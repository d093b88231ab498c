import { randomUUID } from 'node:crypto';
import { newEvent, type EventEnvelope, type PayloadInit } from '@personae/contracts';
import type { TrainingTopic } from '@personae/synthesis/events/session-event.mapper';

/**
 * Builds a training session's events the way the training service publishes them (newEvent
 * envelopes on the training.* topics, key = session id), one second apart from a fixed start.
 */
export class SessionBuilder {
  readonly sessionId = randomUUID();
  readonly events: EventEnvelope<TrainingTopic>[] = [];
  private clock: number;

  constructor(
    readonly tenantId: string,
    readonly trainerId: string,
    readonly personaName: string,
    start = Date.UTC(2026, 10, 21, 9, 0, 0),
  ) {
    this.clock = start;
  }

  private add<T extends TrainingTopic>(topic: T, payload: PayloadInit<T>): EventEnvelope<T> {
    this.clock += 1000;
    // Every training payload carries its position in the session (1 = started).
    (payload.event as { value: { sequence?: number } }).value.sequence = this.events.length + 1;
    const event = newEvent(
      {
        topic,
        key: this.sessionId,
        tenantId: this.tenantId,
        actor: { kind: 'trainer', id: this.trainerId },
        sessionId: this.sessionId,
        payload,
      },
      new Date(this.clock),
    );
    this.events.push(event);
    return event;
  }

  start(basePersonaRef = ''): EventEnvelope<'training.session'> {
    return this.add('training.session', {
      event: {
        case: 'started',
        value: {
          sessionId: this.sessionId,
          trainerId: this.trainerId,
          basePersonaRef,
          personaName: this.personaName,
          mode: 'TRAINING',
        },
      },
    });
  }

  trainer(content: string): EventEnvelope<'training.conversation'> {
    return this.add('training.conversation', {
      event: { case: 'turn', value: { turnId: randomUUID(), role: 'trainer', content } },
    });
  }

  agent(
    content: string,
    replyTo: EventEnvelope,
    telemetry: {
      model?: string;
      cost?: number;
      latencyMs?: number;
      tokensIn?: number;
      tokensOut?: number;
    } = {},
  ): EventEnvelope<'training.conversation'> {
    return this.add('training.conversation', {
      event: {
        case: 'turn',
        value: {
          turnId: randomUUID(),
          role: 'agent',
          content,
          replyTo: replyTo.id,
          model: telemetry.model ?? 'gpt-4o-mini',
          cost: telemetry.cost ?? 0.002,
          latencyMs: telemetry.latencyMs ?? 900,
          tokensIn: telemetry.tokensIn ?? 300,
          tokensOut: telemetry.tokensOut ?? 180,
        },
      },
    });
  }

  tool(
    tool: string,
    input: Record<string, unknown>,
    status: 'succeeded' | 'failed' | 'rejected' = 'succeeded',
    error = '',
  ): EventEnvelope<'training.tools'> {
    return this.add('training.tools', {
      event: {
        case: 'run',
        value: {
          runId: randomUUID(),
          tool,
          inputJson: JSON.stringify(input),
          outputJson: status === 'succeeded' ? JSON.stringify({ ok: true }) : '',
          status,
          durationMs: 420,
          invokedBy: 'agent',
          error,
        },
      },
    });
  }

  annotate(
    target: EventEnvelope,
    kind: 'approve' | 'correct' | 'explain' | 'reject',
    text: { correctedAnswer?: string; rationale?: string } = {},
  ): EventEnvelope<'training.annotations'> {
    return this.add('training.annotations', {
      event: {
        case: 'added',
        value: {
          annotationId: randomUUID(),
          targetEventId: target.id,
          kind,
          correctedAnswer: text.correctedAnswer ?? '',
          rationale: text.rationale ?? '',
        },
      },
    });
  }

  attach(
    fileName: string,
    objectKey: string,
    sizeBytes: number,
    sha256: string,
    mediaType = 'text/markdown',
  ): EventEnvelope<'training.attachments'> {
    return this.add('training.attachments', {
      event: {
        case: 'uploaded',
        value: {
          attachmentId: randomUUID(),
          fileName,
          mediaType,
          sizeBytes: BigInt(sizeBytes),
          sha256,
          objectKey,
        },
      },
    });
  }

  decision(
    tool: string,
    effect: 'allow' | 'deny' | 'require_approval',
    reasons: string[] = [],
  ): EventEnvelope<'training.session'> {
    return this.add('training.session', {
      event: {
        case: 'policyDecision',
        value: {
          decisionId: randomUUID(),
          action: `tool:${tool}`,
          tool,
          effect,
          ruleIds: ['tenant.no-network'],
          reasons,
        },
      },
    });
  }

  /** event_count: every event of the session published before `closed`. */
  close(): EventEnvelope<'training.session'> {
    return this.add('training.session', {
      event: {
        case: 'closed',
        value: {
          sessionId: this.sessionId,
          trainerId: this.trainerId,
          archiveRef: `training/${this.sessionId}/archive`,
          archiveSha256: '0'.repeat(64),
          eventCount: this.events.length,
          reason: 'trainer closed the session',
        },
      },
    });
  }
}

/**
 * A long session for the benchmark: `turns` turns (half trainer questions, half agent answers, some
 * questions asked twice), tool runs every few exchanges, and `annotations` annotations of every kind.
 */
export function longSession(turns: number, annotations: number, tenantId = 'bench'): SessionBuilder {
  const session = new SessionBuilder(tenantId, 'trainer-bench', 'biology_researcher');
  session.start();
  const answers: EventEnvelope[] = [];
  const runs: EventEnvelope[] = [];
  for (let i = 0; i < turns / 2; i++) {
    const question = session.trainer(
      `Question ${i % 400}: how does protein ${i % 400} fold in the endoplasmic reticulum under stress condition ${i % 7}?`,
    );
    if (i % 5 === 0)
      runs.push(
        session.tool(
          i % 15 === 0 ? 'shell.exec' : 'pubmed.search',
          { query: `protein ${i}`, limit: 10 },
          i % 10 === 5 ? 'failed' : 'succeeded',
          'timeout after 30 s',
        ),
      );
    answers.push(
      session.agent(
        `Protein ${i % 400} folds with the help of chaperones such as BiP; under stress ${i % 7} the unfolded protein response is triggered. `.repeat(
          3,
        ),
        question,
        {
          model: i % 3 === 0 ? 'llama3.1-8b' : 'gpt-4o-mini',
          cost: 0.001 + (i % 13) * 0.0003,
          latencyMs: 400 + (i % 17) * 60,
        },
      ),
    );
  }
  for (let a = 0; a < annotations; a++) {
    const answer = answers[(a * 7) % answers.length]!;
    switch (a % 5) {
      case 0:
      case 1:
        session.annotate(answer, 'approve');
        break;
      case 2:
        session.annotate(answer, 'correct', {
          correctedAnswer: `Corrected answer ${a}: cite the primary literature.`,
          rationale: 'Always cite sources.',
        });
        break;
      case 3:
        session.annotate(answer, 'explain', {
          rationale: `Explanation ${a}: prefer recent reviews over textbooks for folding kinetics.`,
        });
        break;
      default: {
        const run = runs[a % runs.length]!;
        session.annotate(
          run,
          (run.payload.event.value as { tool: string }).tool === 'shell.exec' ? 'reject' : 'approve',
        );
      }
    }
  }
  session.close();
  return session;
}
