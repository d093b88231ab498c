import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { signJwt } from '@personae/auth';
import type { LedgerEntry, VerificationReport } from '@personae/audit';
import { deserializeEvent, type EventEnvelope } from '@personae/contracts';
import {
  bootPlatform,
  eventually,
  JWT_SECRET,
  mintKey,
  registryAs,
  signerAs,
  testPack,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { TestEventProducer, TestEventProducerModule } from './event-producer.module';
import { auditGet } from './support';

export interface View {
  position: number;
  hash: string;
  entry: LedgerEntry;
}

export interface Page {
  entries: View[];
  nextCursor: string | null;
}

/** A platform whose ledger holds one persona's whole lifecycle, and the ids to ask about. */
export interface Scenario {
  platform: Platform;
  producer: TestEventProducer;
  tenant: string;
  otherTenant: string;
  name: string;
  sessionId: string;
  executionId: string;
  decisionId: string;
  correlationId: string;
  packSha256: string;
  draftId: string;
  auditor: Credential;
  /** An auditor of another tenant, which has activity of its own. */
  otherAuditor: Credential;
  get<T = Page>(path: string, status?: number, as?: Credential): Promise<T>;
  verification(query?: string): Promise<VerificationReport>;
}

/**
 * Boots the platform and runs a lifecycle: training (alice's session) → draft → two reviews → seal
 * (the real registry and signer over HTTP) → a governance decision with an override → a runtime
 * execution of the sealed version. Training, synthesis, governance and runtime events are published
 * as those services will publish them (outbox + event log, see event-producer.module.ts).
 */
export async function bootScenario(prefix: string): Promise<Scenario> {
  const tenant = uniqueTenant(prefix);
  const otherTenant = uniqueTenant(`${prefix}-other`);
  const name = 'biology_researcher';
  const sessionId = randomUUID();
  const executionId = randomUUID();
  const decisionId = randomUUID();
  const correlationId = randomUUID();
  const platform = await bootPlatform(tenant, { modules: [TestEventProducerModule] });
  const producer = platform.running.app.get(TestEventProducer);
  const auditor = await mintKey(platform, 'auditor', 'auditor');
  const issuer = platform.running.config.auth.jwtIssuer;
  const otherAuditor = {
    token: signJwt({ sub: 'eve', tenant: otherTenant, role: 'auditor' }, { secret: JWT_SECRET, issuer }),
    subject: 'eve',
  };
  const get = <T = Page>(path: string, status = 200, as: Credential = auditor): Promise<T> =>
    auditGet<T>(platform, as, path, status);
  let packSha256 = '';
  let draftId = '';

  // Training (as the training service publishes it): alice trains a session.
  const trainer = { kind: 'trainer' as const, id: 'alice' };
  const inSession = {
    key: sessionId,
    tenantId: tenant,
    actor: trainer,
    sessionId,
    correlationId: sessionId,
  };
  await producer.publish([
    {
      ...inSession,
      topic: 'training.session',
      payload: {
        event: {
          case: 'started',
          value: { sessionId, trainerId: 'alice', personaName: name, mode: 'TRAINING' },
        },
      },
    },
    {
      ...inSession,
      topic: 'training.conversation',
      payload: {
        event: {
          case: 'turn',
          value: { turnId: 't1', role: 'trainer', content: 'Write to jane.doe@example.com about mitosis' },
        },
      },
    },
    {
      ...inSession,
      topic: 'training.tools',
      payload: {
        event: {
          case: 'run',
          value: {
            runId: 'r1',
            tool: 'search',
            inputJson: '{"q":"mitosis"}',
            outputJson: '{"hits":3}',
            status: 'succeeded',
            invokedBy: 'agent',
          },
        },
      },
    },
    {
      ...inSession,
      topic: 'training.annotations',
      payload: {
        event: {
          case: 'added',
          value: {
            annotationId: 'a1',
            targetEventId: 't1',
            kind: 'correct',
            correctedAnswer: 'Cite the paper.',
          },
        },
      },
    },
    {
      ...inSession,
      topic: 'training.session',
      payload: {
        event: {
          case: 'closed',
          value: {
            sessionId,
            trainerId: 'alice',
            archiveRef: 'archives/x',
            archiveSha256: 'ab'.repeat(32),
            eventCount: 4,
          },
        },
      },
    },
  ]);
  // Another tenant's activity, which the first tenant's auditor must never see.
  await producer.publish([
    {
      topic: 'training.session',
      key: 'other-session',
      tenantId: otherTenant,
      actor: trainer,
      sessionId,
      payload: {
        event: {
          case: 'started',
          value: { sessionId, trainerId: 'alice', personaName: name, mode: 'TRAINING' },
        },
      },
    },
  ]);

  // Draft → review → seal through the real registry and signer over HTTP.
  const synthesis = await mintKey(platform, 'trainer', 'synthesis pipeline');
  const reviewers = [await mintKey(platform, 'reviewer', 'r1'), await mintKey(platform, 'reviewer', 'r2')];
  const signer = await mintKey(platform, 'signer', 'release signer');
  await signerAs(platform, platform.admin).registerIdentity({
    subject: signer.subject,
    displayName: 'Release',
    roles: ['pack-signer'],
  });
  const pack = testPack(name);
  pack.provenance.trainingSessions = [sessionId];
  const registry = (as: Credential) => registryAs(platform, as);
  const draft = await registry(synthesis).createDraft(pack, { sessionId, trainerIds: ['alice'] });
  draftId = draft.id;
  await producer.publish([
    {
      topic: 'synthesis.drafts',
      key: sessionId,
      tenantId: tenant,
      actor: { kind: 'service', id: 'synthesis-pipeline' },
      sessionId,
      payload: {
        event: {
          case: 'synthesized',
          value: {
            sessionId,
            personaName: name,
            draftId,
            packSha256: draft.digest,
            summary: 'Adds citations',
            changeCount: 1,
          },
        },
      },
    },
  ]);
  await registry(synthesis).submit(draftId);
  await registry(reviewers[0]!).approve(draftId, 'ok');
  await registry(reviewers[1]!).approve(draftId, 'ok');
  const version = await registry(signer).seal(draftId);
  packSha256 = version.digest.replace(/^sha256:/, '');

  // Runtime (as the governance and runtime services publish it): one governed execution of v1.
  const served = { tenantId: tenant, personaRef: `${name}.v1`, correlationId };
  await producer.publish([
    {
      ...served,
      topic: 'governance.decisions',
      key: decisionId,
      actor: { kind: 'service', id: 'governance-policy' },
      payload: {
        event: {
          case: 'decision',
          value: {
            decisionId,
            subjectKind: 'action',
            subject: 'answer',
            outcome: 'allow',
            ruleIds: ['tenant.allow-answers'],
            override: true,
          },
        },
      },
    },
    {
      ...served,
      topic: 'runtime.executions',
      key: executionId,
      actor: { kind: 'orchestrator', id: 'apikey:runtime' },
      payload: {
        event: {
          case: 'completed',
          value: {
            executionId,
            instanceId: 'i1',
            personaRef: `${name}.v1`,
            packSha256,
            action: 'answer',
            outcome: 'completed',
            decisionIds: [decisionId],
          },
        },
      },
    },
  ]);
  await eventually(
    () => get(`/v1/audit/entries?type=runtime.executions`),
    (page) => page.entries.length === 1,
    20_000,
  );
  await eventually(
    () => get(`/v1/audit/entries?type=persona.lifecycle.sealed`),
    (page) => page.entries.length === 1,
    20_000,
  );
  return {
    platform,
    producer,
    tenant,
    otherTenant,
    name,
    sessionId,
    executionId,
    decisionId,
    correlationId,
    packSha256,
    draftId,
    auditor,
    otherAuditor,
    get,
    verification: (query = '') => get<VerificationReport>(`/v1/audit/verification${query}`),
  };
}

/** The audit.checkpoints events of a tenant that reached the bus, in log order. */
export async function checkpointEvents(
  platform: Platform,
  tenant: string,
): Promise<EventEnvelope<'audit.checkpoints'>[]> {
  const client = new Client({ connectionString: platform.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string }>(
      `SELECT value FROM messaging.events WHERE topic = 'audit.checkpoints' AND headers->>'tenant-id' = $1
        ORDER BY partition, "offset"`,
      [tenant],
    );
    return rows.map((row) => deserializeEvent(row.value) as EventEnvelope<'audit.checkpoints'>);
  } finally {
    await client.end();
  }
}
