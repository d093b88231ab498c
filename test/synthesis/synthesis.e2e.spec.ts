import { randomUUID } from 'node:crypto';
import { canonicalPackJson, validatePack, type PersonaPack } from '@personae/pack';
import type { DraftView } from '@personae/sdk';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import { RunSynthesis, synthesizeDraft, type SessionEvent } from '@personae/synthesis';
import {
  bootPlatform,
  call,
  eventually,
  mintKey,
  personToken,
  registryAs,
  signerAs,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { PROTOCOL_NOTES, realisticSession } from './realistic-session';
import { SessionBuilder } from './session-builder';
import { publishTraining, sql, topicEvents, TrainingOutboxFixtureModule } from './support';
import { IngestTrainingEvent } from '@personae/synthesis/use-cases/ingest-training-event.use-case';

interface RunView {
  state: string;
  step: string;
  draftId?: string;
  summary?: string;
  empty?: boolean;
  contradictions: { target: string; annotations: string[] }[];
  findings: { code: string; message: string }[];
  deterministicPack?: PersonaPack;
}

/**
 * The done-when: a realistic training session, published on the training topics through a
 * real outbox and event log, becomes a draft in the registry whose rules, examples, tool whitelist,
 * blocked actions and knowledge snapshot trace back to the right events; running it twice gives the
 * same draft.
 */
describe('synthesis pipeline (platform e2e)', () => {
  const tenant = uniqueTenant('synth');
  let platform: Platform;
  let trainer: Credential;
  let reviewer: Credential;
  let signer: Credential;

  beforeAll(async () => {
    platform = await bootPlatform(tenant, { modules: [TrainingOutboxFixtureModule] });
    trainer = personToken(platform, 'trainer-ann', 'trainer');
    reviewer = await mintKey(platform, 'reviewer', 'reviewer');
    signer = await mintKey(platform, 'signer', 'signer');
    await signerAs(platform, platform.admin).registerIdentity({
      subject: signer.subject,
      displayName: 'Signer',
      roles: ['pack-signer'],
    });
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const runOf = async (sessionId: string): Promise<RunView> => {
    const response = await call(platform, trainer, 'GET', `/v1/synthesis/sessions/${sessionId}`);
    return (response.status === 200
      ? response.body
      : { state: `http ${response.status}` }) as unknown as RunView;
  };
  const finished = (sessionId: string) =>
    eventually(
      () => runOf(sessionId),
      (run) => run.state === 'done' || run.state === 'failed',
      60_000,
    );

  /** A sealed base version (lab_assistant.v1) with a shell tool the session will reject. */
  async function sealBase(): Promise<void> {
    const as = registryAs(platform, trainer);
    const draft = await as.createDraft({
      apiVersion: 'personae.dev/v1',
      kind: 'PersonaPack',
      metadata: { name: 'lab_assistant', displayName: 'Lab assistant', category: 'research' },
      spec: {
        prompt: {
          system: 'You are a meticulous wet-lab assistant.',
          // Governance refuses to seal a pack with tools and no safety boundaries.
          safetyBoundaries: ['Never run a command that deletes or overwrites lab data.'],
        },
        tools: [{ name: 'shell.exec', description: 'Runs a shell command on the lab server.' }],
        policy: { requiredApprovals: 1 },
      },
    });
    await as.submit(draft.id);
    await registryAs(platform, reviewer).approve(draft.id, 'ok');
    await registryAs(platform, signer).seal(draft.id);
  }

  let session: ReturnType<typeof realisticSession>;
  let draft: DraftView;
  let firstPack: string;

  it('turns a closed session into a draft whose every part traces back to its events', async () => {
    await sealBase();
    const objects = platform.running.app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE);
    const key = `training/${tenant}/${randomUUID()}/protocol-notes.md`;
    const stored = await objects.put(key, Buffer.from(PROTOCOL_NOTES), { contentType: 'text/markdown' });
    session = realisticSession(tenant, 'trainer-ann', { key, size: stored.size, sha256: stored.sha256 });
    // Rebuild with the base: the realistic session starts from lab_assistant.v1.
    (session.handles.started.payload.event.value as { basePersonaRef: string }).basePersonaRef =
      'lab_assistant.v1';
    const { sessionId } = session.session;

    // The closed event first, the rest later: the pipeline waits for the whole timeline.
    const closed = session.events[session.events.length - 1]!;
    await publishTraining(platform, [session.events[0]!, closed]);
    await eventually(
      () => runOf(sessionId),
      (run) => run.state === 'waiting',
      20_000,
    );
    await publishTraining(platform, session.events.slice(1, -1));
    const run = await finished(sessionId);
    expect(run).toMatchObject({ state: 'done', empty: false });

    draft = await registryAs(platform, trainer).getDraft(run.draftId!);
    expect(draft).toMatchObject({
      state: 'draft',
      sessionId,
      authorId: 'trainer-ann',
      trainerIds: ['trainer-ann'],
    });
    const pack = draft.pack as unknown as PersonaPack;
    expect(pack.metadata.createdBy).toBe('trainer-ann');
    expect(pack.provenance).toMatchObject({ base: 'lab_assistant.v1', trainingSessions: [sessionId] });
    const h = session.handles;
    const trace = (path: string, text?: string) =>
      pack.provenance!.changes.find((c) => c.path === path && (!text || c.reason.includes(text)))?.events;

    // Rules in the prompt core.
    expect(pack.spec.prompt.system).toMatch(/^You are a meticulous wet-lab assistant\./);
    expect(pack.spec.prompt.system).toContain('Heat samples at 95 °C for 5 minutes');
    expect(trace('/spec/prompt/system', '95 °C')).toEqual([h.correctA2.id, h.a2.id, h.q2.id]);
    expect(trace('/spec/prompt/system', 'gel percentage')).toEqual([h.explainQ1.id, h.q1.id]);
    // Few-shot examples.
    const exampleIndex = pack.spec.prompt.examples.findIndex(
      (e) => e.output === 'Use a 1.5% agarose gel for a 500 bp product.',
    );
    expect(trace(`/spec/prompt/examples/${exampleIndex}`)).toEqual([h.approveA1.id, h.a1.id, h.q1.id]);
    // Tool whitelist: the approved tool in, the rejected base tool out and blocked.
    expect(pack.spec.tools.map((t) => t.name)).toEqual(['pubmed.search']);
    expect(trace('/spec/tools/0')).toEqual(expect.arrayContaining([h.approveSearch.id, h.search.id]));
    expect(pack.spec.policy.blockedActions).toEqual(['web.fetch', 'shell.exec']);
    expect(trace('/spec/policy/blockedActions/1')).toEqual([h.rejectShell.id, h.shell.id]);
    expect(trace('/spec/policy/blockedActions/0')).toEqual([h.denyFetch.id]);
    // Knowledge snapshot pinned by its manifest digest, from the attachment and the approved answers.
    expect(pack.spec.knowledge).toHaveLength(1);
    const knowledge = pack.spec.knowledge[0]!;
    expect(knowledge).toMatchObject({
      snapshot: expect.stringMatching(/^ks-/),
      manifestDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    const knowledgeEvents = pack
      .provenance!.changes.filter((c) => c.path === '/spec/knowledge/0')
      .flatMap((c) => c.events);
    expect(knowledgeEvents).toEqual(expect.arrayContaining([h.upload!.id, h.approveA1.id, h.a1.id]));
    const chunks = await sql<{ text: string }>(
      platform,
      `SELECT text FROM knowledge.chunks WHERE snapshot_id = $1 ORDER BY ordinal`,
      [knowledge.snapshot],
    );
    expect(chunks.map((c) => c.text).join('\n')).toContain('Always record the antibody lot number.');
    expect(chunks).toHaveLength(knowledge.chunks);
    // Contradiction reported, not merged.
    expect(run.contradictions).toEqual([
      expect.objectContaining({ target: h.a5.id, annotations: [h.approveA5.id, h.correctA5.id] }),
    ]);
    expect(run.summary).toContain('1 contradiction(s)');

    const announced = await eventually(
      () => topicEvents(platform, 'synthesis.drafts'),
      (events) => events.some((e) => e.sessionId === sessionId),
    );
    expect(announced.find((e) => e.sessionId === sessionId)!.payload.event.value).toMatchObject({
      sessionId,
      draftId: draft.id,
      personaName: 'lab_assistant',
      packSha256: draft.digest.replace('sha256:', ''),
      empty: false,
      contradictionCount: 1,
      baseRef: 'lab_assistant.v1',
    });
    firstPack = canonicalPackJson(pack);
  }, 120_000);

  it("shows each change with its provenance in the registry's diff from the base", async () => {
    const diff = await registryAs(platform, reviewer).diff('lab_assistant', 'v1', `draft:${draft.id}`);
    const system = diff.changes.find((c) => c.pointer === '/spec/prompt/system')!;
    expect(system.provenance.map((p) => p.events[0])).toEqual(
      expect.arrayContaining([session.handles.correctA2.id, session.handles.explainQ1.id]),
    );
    const removedShell = diff.changes.find((c) => c.kind === 'removed' && c.pointer === '/spec/tools/0');
    expect(removedShell?.before).toMatchObject({ name: 'shell.exec' });
    const specChanges = diff.changes.filter((c) => c.pointer.startsWith('/spec/'));
    expect(specChanges.filter((c) => c.provenance.length === 0).map((c) => c.pointer)).toEqual([]);
  }, 30_000);

  it('gives the same draft when the pipeline runs again, and resumes a run that crashed midway', async () => {
    const { sessionId } = session.session;
    const runner = platform.running.app.get(RunSynthesis);
    // Same stored events through the pure synthesis: the same pack.
    const events = (
      await sql<{ body: SessionEvent }>(
        platform,
        `SELECT body FROM synthesis.session_events WHERE session_id = $1`,
        [sessionId],
      )
    ).map((r) => r.body);
    const base = await registryAs(platform, trainer).getVersion('lab_assistant', 1);
    const run = await runOf(sessionId);
    const stored = await sql<{
      snapshot: { ref: unknown; sources: string[]; skipped: []; sourceEvents: Record<string, string[]> };
    }>(platform, `SELECT snapshot FROM synthesis.runs WHERE session_id = $1`, [sessionId]);
    const snapshot = stored[0]!.snapshot as never as Parameters<typeof synthesizeDraft>[0]['snapshot'] & {
      sourceEvents: Record<string, string[]>;
    };
    const again = synthesizeDraft({
      sessionId,
      personaName: 'lab_assistant',
      base: { ref: 'lab_assistant.v1', pack: validatePack(base.pack) },
      events: [...events].reverse(),
      snapshot,
      sourceEvents: new Map(Object.entries(snapshot.sourceEvents)),
    });
    expect(canonicalPackJson(again.pack)).toBe(canonicalPackJson(run.deterministicPack!));

    // A crash after the knowledge step: the lease ran out, the result was never saved. The worker resumes.
    await sql(
      platform,
      `UPDATE synthesis.runs SET state = 'running', step = 'synthesize', result = NULL, draft_id = NULL, lease_until = now() - interval '1 second' WHERE session_id = $1`,
      [sessionId],
    );
    const resumed = await eventually(
      () => runOf(sessionId),
      (r) => r.state === 'done',
      30_000,
    );
    expect(resumed.draftId).toBe(draft.id);
    // Re-running from scratch (the snapshot is immutable and found again, the draft found by session).
    await sql(
      platform,
      `UPDATE synthesis.runs SET state = 'ready', step = 'base', attempts = 0, result = NULL, snapshot = NULL, draft_id = NULL WHERE session_id = $1`,
      [sessionId],
    );
    await runner.runIfReady(sessionId);
    const rerun = await runOf(sessionId);
    expect(rerun).toMatchObject({ state: 'done', draftId: draft.id });
    expect(canonicalPackJson((await registryAs(platform, trainer).getDraft(draft.id)).pack as never)).toBe(
      firstPack,
    );
    // The closed event delivered again (a redelivery after a crash): nothing new happens.
    await platform.running.app.get(IngestTrainingEvent).execute(session.handles.closed);
    expect(await runOf(sessionId)).toMatchObject({ state: 'done', draftId: draft.id });
    const drafts = await registryAs(platform, trainer).listDrafts({ name: 'lab_assistant', limit: 100 });
    expect(drafts.items.filter((d) => d.sessionId === sessionId)).toHaveLength(1);
  }, 90_000);

  it('turns a session with nothing usable into a draft that says so', async () => {
    const s = new SessionBuilder(tenant, 'trainer-ann', 'idle_persona');
    s.start();
    const question = s.trainer('Hello?');
    s.agent('Hi.', question);
    s.close();
    await publishTraining(platform, s.events);
    const run = await finished(s.sessionId);
    expect(run).toMatchObject({ state: 'done', empty: true });
    const empty = await registryAs(platform, trainer).getDraft(run.draftId!);
    expect((empty.pack as unknown as PersonaPack).metadata.description).toContain('held nothing usable');
  }, 60_000);

  it('runs a session whose events never all arrive after the wait limit, saying what is missing', async () => {
    const s = new SessionBuilder(tenant, 'trainer-ann', 'lossy_persona');
    s.start();
    const question = s.trainer('Which buffer for DNA gels?');
    const answer = s.agent('TAE or TBE.', question);
    const lost = s.annotate(answer, 'approve');
    s.close();
    await publishTraining(
      platform,
      s.events.filter((e) => e.id !== lost.id),
    );
    await eventually(
      () => runOf(s.sessionId),
      (run) => run.state === 'waiting',
      20_000,
    );
    // A minute passes (the worker's wait limit) without the annotation.
    await sql(
      platform,
      `UPDATE synthesis.runs SET closed_at = now() - interval '2 minutes' WHERE session_id = $1`,
      [s.sessionId],
    );
    const run = await finished(s.sessionId);
    expect(run).toMatchObject({ state: 'done', empty: true });
    expect(run.findings).toContainEqual(
      expect.objectContaining({
        code: 'incomplete-session',
        message: expect.stringContaining('1 of the session'),
      }),
    );
    expect(run.summary).toContain('had not arrived');
  }, 60_000);

  it('dead-letters a poison event with the reason and goes on', async () => {
    const s = new SessionBuilder(tenant, 'trainer-ann', 'poisoned');
    const poison = s.trainer('no session id');
    const broken = { ...poison, key: 'not-a-session', sessionId: '' };
    await publishTraining(platform, [broken]);
    const letters = await eventually(
      () => topicEvents(platform, 'deadletter', undefined),
      (events) =>
        events.some(
          (e) => (e.payload.event.value as { originalEventId: string }).originalEventId === poison.id,
        ),
      30_000,
    );
    const letter = letters.find(
      (e) => (e.payload.event.value as { originalEventId: string }).originalEventId === poison.id,
    )!;
    expect(letter.payload.event.value).toMatchObject({
      originalTopic: 'training.conversation',
      consumerGroup: 'synthesis-pipeline',
      error: expect.stringContaining('names no session'),
    });
  }, 60_000);

  it("stores a batch once, counts it once, and refuses only the events that claim another tenant's session", async () => {
    const ingest = platform.running.app.get(IngestTrainingEvent);
    const s = new SessionBuilder(tenant, 'trainer-ann', 'batched');
    const started = s.start();
    const question = s.trainer('Which stain for Gram-positive bacteria?');
    const answer = s.agent('Crystal violet.', question);
    const approval = s.annotate(answer, 'approve');
    const closed = s.close();
    const stranger = new SessionBuilder(`${tenant}-other`, 'mallory', 'batched');
    const intruder = { ...stranger.trainer('mine now'), key: s.sessionId, sessionId: s.sessionId };
    const stored = (): Promise<{ event_id: string }[]> =>
      sql(platform, `SELECT event_id FROM synthesis.session_events WHERE session_id = $1`, [s.sessionId]);

    // One batch: the intruder is refused by name, the others are stored.
    await expect(ingest.executeMany([started, question, intruder, answer])).rejects.toThrow(
      `claims session ${s.sessionId} of another tenant`,
    );
    expect((await stored()).map((r) => r.event_id).sort()).toEqual(
      [started.id, question.id, answer.id].sort(),
    );
    // The run opens with 3 of its 4 events; a redelivered batch neither stores nor counts twice.
    await ingest.executeMany([closed]);
    await expect(ingest.executeMany([question, intruder, answer])).rejects.toThrow('another tenant');
    const [waiting] = await sql<{ state: string; received: number }>(
      platform,
      `SELECT state, received FROM synthesis.runs WHERE session_id = $1`,
      [s.sessionId],
    );
    expect(waiting).toEqual({ state: 'waiting', received: 3 });
    // The last event completes the session and starts its run.
    await ingest.executeMany([answer, approval]);
    expect(await finished(s.sessionId)).toMatchObject({ state: 'done' });
    const [done] = await sql<{ received: number }>(
      platform,
      `SELECT received FROM synthesis.runs WHERE session_id = $1`,
      [s.sessionId],
    );
    expect(done!.received).toBe(4);
    expect(await stored()).toHaveLength(5);
  }, 60_000);

  it('answers 404 for another tenant and 400 for a malformed session id', async () => {
    const other = await call(platform, trainer, 'GET', `/v1/synthesis/sessions/${randomUUID()}`);
    expect(other.status).toBe(404);
    const bad = await call(platform, trainer, 'GET', '/v1/synthesis/sessions/nope');
    expect(bad.status).toBe(400);
    const anonymous = await call(
      platform,
      undefined,
      'GET',
      `/v1/synthesis/sessions/${session.session.sessionId}`,
    );
    expect(anonymous.status).toBe(401);
  });
});
