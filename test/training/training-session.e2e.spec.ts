import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { OBJECT_STORE, FilesystemObjectStore, type ObjectStore } from '@personae/storage';
import { readTar, type ArchiveManifest, type TimelineEvent } from '@personae/training';
import {
  api,
  bootPlatform,
  busEvents,
  eventually,
  mintKey,
  parseSse,
  personToken,
  sealBase,
  uniqueTenant,
  type Credential,
  type Platform,
} from './support';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

interface Recorded {
  id: string;
  sequence: number;
  type: string;
}

/**
 * The done-when: a realistic session (20 turns, 3 tool runs, 1 attachment, approvals,
 * corrections, explanations) is closed; every event is on the bus in order with the right tags; the
 * archive reads back decrypted and intact; a flipped byte in the stored archive is detected.
 */
describe('a training session, end to end over HTTP', () => {
  const tenant = uniqueTenant('training-e2e');
  let platform: Platform;
  let alice: Credential;
  let auditor: Credential;
  let baseRef: string;
  let sessionId: string;
  const agentTurns: Recorded[] = [];
  const toolRuns: Recorded[] = [];
  const attachmentBytes = Buffer.from(
    `# Lab notes\n\n${'Mitochondria make ATP through oxidative phosphorylation. '.repeat(400)}\n`,
  );
  let attachment: { id: string; sha256: string; eventId: string };

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    alice = personToken(platform, 'alice', 'trainer');
    auditor = await mintKey(platform, 'auditor', 'training auditor');
    baseRef = await sealBase(platform, 'biology_researcher', alice);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const post = <T = Record<string, unknown>>(path: string, body: unknown) =>
    api<T>(platform, alice, 'POST', `/v1/persona/train${path}`, body);

  it('starts a session on a verified sealed base, in TRAINING mode', async () => {
    const started = await post<{ sessionId: string; session: Record<string, unknown> }>('/start', {
      basePersona: baseRef,
    });
    expect(started.status).toBe(201);
    sessionId = started.body.sessionId;
    expect(started.body.session).toMatchObject({
      id: sessionId,
      personaName: 'biology_researcher',
      baseRef,
      baseDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      mode: 'TRAINING',
      state: 'open',
      trainerId: 'alice',
      events: 1,
      draftPrompt: 'You are a careful biology researcher. Cite sources.',
    });
  });

  it('records 20 turns (some streamed), 3 tool runs, an attachment, a policy decision and annotations', async () => {
    for (let turn = 1; turn <= 10; turn++) {
      const question = turn === 1 ? 'What is a ribosome?' : `Question ${turn}: how do cells make energy?`;
      if (turn % 4 === 0) {
        // Streamed: server-sent events, the trainer turn first, then deltas, then the recorded agent turn.
        const response = await fetch(`${platform.url}/v1/persona/train/sessions/${sessionId}/messages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${alice.token}`,
            'content-type': 'application/json',
            accept: 'text/event-stream',
          },
          body: JSON.stringify({ content: question }),
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toContain('text/event-stream');
        const events = parseSse(await response.text());
        expect(events[0]!.event).toBe('trainer');
        expect(events.some((e) => e.event === 'delta')).toBe(true);
        const agent = events.at(-1)!;
        expect(agent.event).toBe('agent');
        agentTurns.push((agent.data as { event: Recorded }).event);
      } else {
        const answer = await post<{
          trainerTurn: Recorded;
          agentTurn: Recorded;
          reply: string;
          provider: string;
        }>(`/sessions/${sessionId}/messages`, { content: question });
        expect(answer.status).toBe(201);
        expect(answer.body.agentTurn.sequence).toBe(answer.body.trainerTurn.sequence + 1);
        expect(answer.body.provider).toBe('offline-retrieval');
        if (turn === 1) expect(answer.body.reply).toContain('molecular machine that builds proteins');
        agentTurns.push(answer.body.agentTurn);
      }
    }

    for (const [i, run] of [
      {
        tool: 'pubmed_search',
        input: { q: 'ATP synthase' },
        output: { hits: 12 },
        status: 'succeeded',
        invokedBy: 'agent',
      },
      { tool: 'calculator', input: { expr: '2+2' }, output: 4, status: 'succeeded', invokedBy: 'trainer' },
      {
        tool: 'shell',
        input: { cmd: 'rm -rf /' },
        status: 'failed',
        invokedBy: 'agent',
        error: 'sandbox refused',
      },
    ].entries()) {
      const recorded = await post<Recorded & { runId: string }>(`/sessions/${sessionId}/tool-runs`, {
        ...run,
        durationMs: 40 + i,
      });
      expect(recorded.status).toBe(201);
      toolRuns.push(recorded.body);
    }

    const upload = await api<{ id: string; sha256: string; eventId: string; sizeBytes: number }>(
      platform,
      alice,
      'POST',
      `/v1/persona/train/sessions/${sessionId}/attachments?name=lab-notes.md`,
      new Uint8Array(attachmentBytes),
      { 'content-type': 'text/markdown' },
    );
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ sha256: sha256(attachmentBytes), sizeBytes: attachmentBytes.length });
    attachment = upload.body;
    const download = await fetch(
      `${platform.url}/v1/persona/train/sessions/${sessionId}/attachments/${attachment.id}`,
      {
        headers: { authorization: `Bearer ${auditor.token}` },
      },
    );
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(attachmentBytes);

    const decision = await post(`/sessions/${sessionId}/policy-decisions`, {
      action: 'tool:shell',
      tool: 'shell',
      effect: 'deny',
      ruleIds: ['constitution/no-destructive-shell'],
      reasons: ['destructive shell commands are blocked'],
      eventId: toolRuns[2]!.id,
    });
    expect(decision.status).toBe(201);

    const annotate = (body: Record<string, unknown>) =>
      post<Recorded>(`/sessions/${sessionId}/annotations`, body);
    for (const turn of agentTurns.slice(0, 4))
      expect((await annotate({ eventId: turn.id, kind: 'approve' })).status).toBe(201);
    expect((await annotate({ eventId: toolRuns[0]!.id, kind: 'approve' })).status).toBe(201);
    expect(
      (
        await annotate({
          eventId: toolRuns[2]!.id,
          kind: 'reject',
          rationale: 'never run destructive commands',
        })
      ).status,
    ).toBe(201);
    const corrected = 'Cells make most of their energy as ATP in mitochondria (see Alberts, ch. 14).';
    expect(
      (await annotate({ eventId: agentTurns[1]!.id, kind: 'correct', correctedAnswer: corrected })).status,
    ).toBe(201);
    // Several annotations on one event: a correction, then an explanation of it.
    expect(
      (
        await annotate({
          eventId: agentTurns[1]!.id,
          kind: 'explain',
          rationale: 'Always name the organelle and cite a textbook.',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await annotate({
          eventId: agentTurns[5]!.id,
          kind: 'explain',
          rationale: 'Keep answers under 100 words.',
        })
      ).status,
    ).toBe(201);

    // The draft prompt now carries the guidance, and the agent answers from the correction.
    const next = await post<{ reply: string }>(`/sessions/${sessionId}/messages`, {
      content: 'Where do cells make their energy?',
    });
    expect(next.status).toBe(201);
    expect(next.body.reply).toContain('mitochondria');
    const detail = await api<{ session: { draftPrompt: string } }>(
      platform,
      alice,
      'GET',
      `/v1/persona/train/sessions/${sessionId}`,
    );
    expect(detail.body.session.draftPrompt).toContain(
      'A better answer, as the trainer corrected it: Cells make most',
    );
    expect(detail.body.session.draftPrompt).toContain('Keep answers under 100 words.');
    expect(detail.body.session.draftPrompt).toContain('never run destructive commands');
  });

  let closedSha: string;
  let timeline: TimelineEvent[];

  it('closes: the timeline is complete and strictly ordered, the archive digest is in the closed event', async () => {
    const closed = await post<{
      session: { state: string; archive: { sha256: string; key: string }; events: number };
    }>('/close', {
      sessionId,
      reason: 'lesson done',
    });
    expect(closed.status).toBe(200);
    expect(closed.body.session.state).toBe('closed');
    closedSha = closed.body.session.archive.sha256;

    const detail = await api<{ timeline: TimelineEvent[]; session: { events: number } }>(
      platform,
      auditor,
      'GET',
      `/v1/persona/train/sessions/${sessionId}`,
    );
    expect(detail.status).toBe(200);
    timeline = detail.body.timeline;
    // 1 started + 22 turns (20 + the follow-up exchange) + 3 tools + 1 attachment + 1 decision + 9 annotations + 1 closed
    expect(timeline).toHaveLength(1 + 22 + 3 + 1 + 1 + 9 + 1);
    expect(timeline.map((e) => e.sequence)).toEqual(timeline.map((_, i) => i + 1));
    const count = (type: string) => timeline.filter((e) => e.type === type).length;
    expect(count('training.conversation.turn')).toBe(22);
    expect(count('training.tools.run')).toBe(3);
    expect(count('training.attachments.uploaded')).toBe(1);
    expect(count('training.annotations.added')).toBe(9);
    expect(count('training.session.policyDecision')).toBe(1);
    const last = timeline.at(-1)!;
    expect(last.type).toBe('training.session.closed');
    expect(last.payload).toMatchObject({
      closed: { archiveSha256: closedSha, eventCount: timeline.length, reason: 'lesson done' },
    });

    // After close nothing can be added.
    const late = await post(`/sessions/${sessionId}/messages`, { content: 'one more?' });
    expect(late.status).toBe(409);
    expect(late.body.message).toBe(`session ${sessionId} is closed; nothing can be added to it`);
    expect((await post('/close', { sessionId })).status).toBe(409);
  });

  it('finds every event on the bus, per topic in session order, tagged with session, trainer, tenant and base', async () => {
    const onBus = await eventually(
      () => busEvents(platform, sessionId),
      (events) => events.length === timeline.length,
    );
    expect(new Set(onBus.map((e) => e.id))).toEqual(new Set(timeline.map((e) => e.id)));
    const sequenceOf = new Map(timeline.map((e) => [e.id, e.sequence]));
    for (const topic of [
      'training.session',
      'training.conversation',
      'training.tools',
      'training.annotations',
      'training.attachments',
    ]) {
      const sequences = onBus.filter((e) => e.topic === topic).map((e) => sequenceOf.get(e.id)!);
      expect(sequences.length).toBeGreaterThan(0);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    }
    for (const event of onBus) {
      expect(event).toMatchObject({
        key: sessionId,
        sessionId,
        tenantId: tenant,
        personaRef: baseRef,
        actor: { kind: 'trainer', id: 'alice' },
      });
      // The payload's own sequence lets a consumer merge the five topics back into one order.
      const value = (event.payload as { event: { value: { sequence: number } } }).event.value;
      expect(value.sequence).toBe(sequenceOf.get(event.id));
    }
    const started = onBus.find((e) => e.type === 'training.session.started')!;
    expect((started.payload as { event: { value: Record<string, unknown> } }).event.value).toMatchObject({
      sessionId,
      trainerId: 'alice',
      basePersonaRef: baseRef,
      mode: 'TRAINING',
    });
  });

  it('reads the archive back decrypted and intact: manifest, every event, the attachment bytes', async () => {
    const response = await fetch(`${platform.url}/v1/persona/train/sessions/${sessionId}/archive`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect(response.status).toBe(200);
    const tar = Buffer.from(await response.arrayBuffer());
    expect(sha256(tar)).toBe(closedSha);
    expect(response.headers.get('x-archive-sha256')).toBe(closedSha);
    const entries = new Map(readTar(tar).map((e) => [e.name, e.content]));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as ArchiveManifest;
    expect(manifest).toMatchObject({
      format: 'personae.training-archive/v1',
      session: { id: sessionId, tenantId: tenant, trainerId: 'alice', baseRef, mode: 'TRAINING' },
      events: timeline.length - 1,
      attachments: [{ id: attachment.id, fileName: 'lab-notes.md', sha256: sha256(attachmentBytes) }],
    });
    const archived = manifest.timeline.flatMap((page) =>
      entries
        .get(page)!
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as TimelineEvent),
    );
    expect(archived).toEqual(timeline.slice(0, -1));
    expect(entries.get(`attachments/${attachment.id}`)).toEqual(attachmentBytes);

    const verified = await api(
      platform,
      auditor,
      'GET',
      `/v1/persona/train/sessions/${sessionId}/archive/verify`,
    );
    expect(verified.body).toEqual({ ok: true, sha256: closedSha, sizeBytes: tar.length });
  });

  it('only trainers and auditors of the tenant read the archive', async () => {
    const reviewer = personToken(platform, 'rita', 'reviewer');
    expect(
      (await api(platform, reviewer, 'GET', `/v1/persona/train/sessions/${sessionId}/archive`)).status,
    ).toBe(403);
  });

  it('detects a flipped byte in the stored archive', async () => {
    const store = platform.running.app.get<ObjectStore>(OBJECT_STORE);
    expect(store).toBeInstanceOf(FilesystemObjectStore);
    const path = (store as FilesystemObjectStore).pathOf(`${tenant}/training/${sessionId}/archive.tar`);
    const stored = readFileSync(path);
    expect(stored.includes(Buffer.from('Mitochondria make ATP'))).toBe(false); // encrypted at rest
    const flipped = Buffer.from(stored);
    const at = Math.floor(stored.length / 3);
    flipped[at] = flipped[at]! ^ 0x01;
    writeFileSync(path, flipped);
    try {
      const read = await api(platform, alice, 'GET', `/v1/persona/train/sessions/${sessionId}/archive`);
      expect(read.status).toBe(500);
      expect(read.body.message).toContain('failed its integrity check');
      const verdict = await api<{ ok: boolean; reason: string }>(
        platform,
        auditor,
        'GET',
        `/v1/persona/train/sessions/${sessionId}/archive/verify`,
      );
      expect(verdict.body.ok).toBe(false);
      expect(verdict.body.reason).toMatch(/integrity|decryption|corrupt|does not match/i);
    } finally {
      writeFileSync(path, stored);
    }
    const restored = await api(
      platform,
      auditor,
      'GET',
      `/v1/persona/train/sessions/${sessionId}/archive/verify`,
    );
    expect(restored.body).toMatchObject({ ok: true });
  });

  it('lists sessions by persona, trainer and state', async () => {
    const empty = await post<{ sessionId: string }>('/start', {
      name: 'biology_tutor',
      systemPrompt: 'You tutor biology.',
    });
    expect(empty.status).toBe(201);
    const list = (query: string) =>
      api<{ sessions: { id: string }[] }>(platform, alice, 'GET', `/v1/persona/train/sessions?${query}`).then(
        (r) => r.body.sessions.map((s) => s.id),
      );
    expect(await list('persona=biology_researcher')).toEqual([sessionId]);
    expect(await list('state=open')).toEqual([empty.body.sessionId]);
    expect(await list('trainer=alice')).toEqual([empty.body.sessionId, sessionId]);
    expect(await list('trainer=alice&limit=1')).toEqual([empty.body.sessionId]);
    expect(await list('state=closed&persona=biology_tutor')).toEqual([]);
  });

  it('is turned by the synthesis pipeline into a draft whose changes trace to this session’s events', async () => {
    const run = await eventually(
      async () =>
        (
          await api<{ state: string; draftId?: string }>(
            platform,
            alice,
            'GET',
            `/v1/synthesis/sessions/${sessionId}`,
          )
        ).body,
      (body) => body.state === 'done' || body.state === 'failed',
      60_000,
    );
    expect(run).toMatchObject({ state: 'done', draftId: expect.any(String) });
    const draft = await api<{
      pack: {
        spec: { policy: { blockedActions: string[] }; knowledge: unknown[]; tools: { name: string }[] };
        provenance: { trainingSessions: string[]; changes: { path: string; events: string[] }[] };
      };
    }>(platform, alice, 'GET', `/v1/personas/drafts/${run.draftId}`);
    expect(draft.status).toBe(200);
    const { pack } = draft.body;
    expect(pack.provenance.trainingSessions).toContain(sessionId);
    const events = new Map((await busEvents(platform, sessionId)).map((event) => [event.id, event.type]));
    const traced = pack.provenance.changes.flatMap((change) => change.events);
    expect(traced.length).toBeGreaterThan(0);
    // Every change points at events of this session, and the trainer's annotations are among them.
    expect(traced.filter((id) => !events.has(id))).toEqual([]);
    expect(new Set(traced.map((id) => events.get(id)))).toEqual(
      new Set([
        'training.annotations.added',
        'training.conversation.turn',
        'training.tools.run',
        'training.session.policyDecision',
        'training.attachments.uploaded',
      ]),
    );
    // The rejected destructive tool is blocked, the approved one whitelisted; the attachment is knowledge.
    expect(pack.spec.policy.blockedActions.some((action) => action.includes('shell'))).toBe(true);
    expect(pack.spec.tools.map((tool) => tool.name)).not.toContain('shell');
    expect(pack.spec.knowledge.length).toBeGreaterThan(0);
  }, 90_000);
});
