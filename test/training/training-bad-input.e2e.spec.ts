import { OBJECT_STORE, type ObjectStore } from '@personae/storage';
import { TRAINING_LIMITS } from '@personae/training';
import {
  api,
  bootPlatform,
  busEvents,
  eventually,
  foreignToken,
  mintKey,
  personToken,
  timelineCount,
  uniqueTenant,
  type Credential,
  type Platform,
} from './support';

/**
 * Bad input: every refusal is a 4xx naming the reason, and nothing is written — neither a timeline row
 * nor an event on the bus.
 */
describe('training sessions refuse bad input and write nothing', () => {
  const tenant = uniqueTenant('training-bad');
  let platform: Platform;
  let alice: Credential;
  let open: string;
  let other: string;
  let closed: string;
  let agentTurnId: string;
  let trainerTurnId: string;
  const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';

  const post = (path: string, body: unknown, as: Credential = alice) =>
    api(platform, as, 'POST', `/v1/persona/train${path}`, body);
  const upload = (
    session: string,
    bytes: Uint8Array,
    headers: Record<string, string>,
    query = '?name=notes.txt',
  ) =>
    api(platform, alice, 'POST', `/v1/persona/train/sessions/${session}/attachments${query}`, bytes, headers);

  beforeAll(async () => {
    platform = await bootPlatform(tenant);
    alice = personToken(platform, 'alice', 'trainer');
    const start = async () =>
      ((await post('/start', { name: 'tutor' })).body as { sessionId: string }).sessionId;
    open = await start();
    other = await start();
    closed = await start();
    const exchange = (await post(`/sessions/${open}/messages`, { content: 'Hello?' })).body as {
      trainerTurn: { id: string };
      agentTurn: { id: string };
    };
    agentTurnId = exchange.agentTurn.id;
    trainerTurnId = exchange.trainerTurn.id;
    expect((await post('/close', { sessionId: closed })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  /** Runs a refused request and checks that the session's timeline and the bus did not change. */
  async function refused(
    session: string,
    request: () => Promise<{ status: number; body: { message?: string; errors?: unknown } }>,
    status: number,
    reason: string | RegExp,
  ): Promise<void> {
    const before = await timelineCount(platform, session);
    const answer = await request();
    expect({ status: answer.status, message: answer.body.message }).toEqual({
      status,
      message: typeof reason === 'string' ? reason : expect.stringMatching(reason),
    });
    expect(await timelineCount(platform, session)).toBe(before);
    // Once the relay has caught up with the timeline, the bus holds exactly the events recorded before.
    const onBus = await eventually(
      () => busEvents(platform, session),
      (events) => events.length >= before,
    );
    expect(onBus.length).toBe(before);
  }

  it('unknown session: 404 on every action', async () => {
    const message = `training session ${unknown} not found`;
    expect((await post(`/sessions/${unknown}/messages`, { content: 'hi' })).body.message).toBe(message);
    expect(
      (
        await post(`/sessions/${unknown}/tool-runs`, {
          tool: 't',
          input: {},
          status: 'succeeded',
          durationMs: 1,
          invokedBy: 'agent',
        })
      ).status,
    ).toBe(404);
    expect(
      (await post(`/sessions/${unknown}/annotations`, { eventId: agentTurnId, kind: 'approve' })).status,
    ).toBe(404);
    expect((await upload(unknown, new Uint8Array([1, 2, 3]), { 'content-type': 'text/plain' })).status).toBe(
      404,
    );
    expect((await post('/close', { sessionId: unknown })).body.message).toBe(message);
    expect((await api(platform, alice, 'GET', `/v1/persona/train/sessions/${unknown}`)).status).toBe(404);
  });

  it("another tenant's session is unknown to you (404), and its reads too", async () => {
    const mallory = foreignToken(platform, uniqueTenant('elsewhere'), 'mallory', 'trainer');
    await refused(
      open,
      () => post(`/sessions/${open}/messages`, { content: 'hi' }, mallory),
      404,
      `training session ${open} not found`,
    );
    await refused(
      open,
      () => post(`/sessions/${open}/annotations`, { eventId: agentTurnId, kind: 'approve' }, mallory),
      404,
      /not found/,
    );
    await refused(open, () => post('/close', { sessionId: open }, mallory), 404, /not found/);
    expect((await api(platform, mallory, 'GET', `/v1/persona/train/sessions/${open}`)).status).toBe(404);
    expect(
      (await api<{ sessions: unknown[] }>(platform, mallory, 'GET', '/v1/persona/train/sessions')).body
        .sessions,
    ).toEqual([]);
  });

  it('closed session: 409 on every addition', async () => {
    const reason = `session ${closed} is closed; nothing can be added to it`;
    await refused(closed, () => post(`/sessions/${closed}/messages`, { content: 'hi' }), 409, reason);
    await refused(
      closed,
      () =>
        post(`/sessions/${closed}/tool-runs`, {
          tool: 't',
          input: 1,
          status: 'failed',
          durationMs: 1,
          invokedBy: 'trainer',
        }),
      409,
      reason,
    );
    await refused(
      closed,
      () =>
        post(`/sessions/${closed}/policy-decisions`, {
          action: 'a',
          effect: 'allow',
          ruleIds: [],
          reasons: [],
        }),
      409,
      reason,
    );
    await refused(
      closed,
      () => upload(closed, new Uint8Array([1]), { 'content-type': 'text/plain' }),
      409,
      reason,
    );
    const stream = await fetch(`${platform.url}/v1/persona/train/sessions/${closed}/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: JSON.stringify({ content: 'hi' }),
    });
    expect(stream.status).toBe(409); // refused before the event stream starts
    expect(((await stream.json()) as { message: string }).message).toBe(reason);
  });

  it('annotating an event just recorded (known without a read) still checks its session: 409 once closed, 404 for another tenant', async () => {
    const session = ((await post('/start', { name: 'tutor' })).body as { sessionId: string }).sessionId;
    const exchange = (await post(`/sessions/${session}/messages`, { content: 'Quick one?' })).body as {
      agentTurn: { id: string };
    };
    const mallory = foreignToken(platform, uniqueTenant('elsewhere'), 'mallory', 'trainer');
    const approve = { eventId: exchange.agentTurn.id, kind: 'approve' };
    await refused(
      session,
      () => post(`/sessions/${session}/annotations`, approve, mallory),
      404,
      /not found/,
    );
    expect((await post(`/sessions/${session}/annotations`, approve)).status).toBe(201);
    expect((await post('/close', { sessionId: session })).status).toBe(200);
    await refused(
      session,
      () => post(`/sessions/${session}/annotations`, approve),
      409,
      `session ${session} is closed; nothing can be added to it`,
    );
  });

  it('annotations: unknown event, event of another session, missing fields, wrong target', async () => {
    await refused(
      open,
      () => post(`/sessions/${open}/annotations`, { eventId: unknown, kind: 'approve' }),
      404,
      `event ${unknown} is not in training session ${open}`,
    );
    await refused(
      other,
      () => post(`/sessions/${other}/annotations`, { eventId: agentTurnId, kind: 'approve' }),
      404,
      /is not in training session/,
    );
    await refused(
      open,
      () => post(`/sessions/${open}/annotations`, { eventId: agentTurnId, kind: 'correct' }),
      400,
      'correctedAnswer: required when kind is "correct"',
    );
    await refused(
      open,
      () => post(`/sessions/${open}/annotations`, { eventId: agentTurnId, kind: 'explain' }),
      400,
      'rationale: required when kind is "explain"',
    );
    await refused(
      open,
      () =>
        post(`/sessions/${open}/annotations`, {
          eventId: trainerTurnId,
          kind: 'correct',
          correctedAnswer: 'x',
        }),
      400,
      'eventId: only an agent turn or a tool run can be corrected, not a trainer turn',
    );
    const badKind = await post(`/sessions/${open}/annotations`, { eventId: agentTurnId, kind: 'love' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.errors).toEqual([
      { field: 'kind', reason: expect.stringContaining('one of the following values') },
    ]);
    await refused(
      open,
      () =>
        post(`/sessions/${open}/annotations`, {
          eventId: agentTurnId,
          kind: 'explain',
          rationale: 'x'.repeat(TRAINING_LIMITS.annotationTextChars + 1),
        }),
      413,
      /rationale: at most 16000 characters/,
    );
  });

  it('oversized or empty messages and tool runs', async () => {
    const long = 'x'.repeat(TRAINING_LIMITS.messageChars + 1);
    await refused(
      open,
      () => post(`/sessions/${open}/messages`, { content: long }),
      413,
      `content: a message is at most 16000 characters (got ${long.length})`,
    );
    await refused(
      open,
      () => post(`/sessions/${open}/messages`, { content: '   ' }),
      400,
      'content: must not be empty',
    );
    await refused(
      open,
      () =>
        post(`/sessions/${open}/tool-runs`, {
          tool: 'dump',
          input: { blob: 'y'.repeat(70_000) },
          status: 'succeeded',
          durationMs: 1,
          invokedBy: 'agent',
        }),
      413,
      /input: at most 65536 bytes of JSON/,
    );
    const unknownField = await post(`/sessions/${open}/tool-runs`, {
      tool: 'x',
      input: {},
      status: 'done',
      durationMs: -1,
      invokedBy: 'agent',
      extra: 1,
    });
    expect(unknownField.status).toBe(400);
    expect((unknownField.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'durationMs',
      'extra',
      'status',
    ]);
  });

  it('attachments: too large (413), disallowed type (415), no name or empty (400)', async () => {
    const limit = TRAINING_LIMITS.attachmentBytes;
    await refused(
      open,
      () => upload(open, new Uint8Array(limit + 1), { 'content-type': 'application/pdf' }),
      413,
      `file: a file is at most ${limit} bytes (Content-Length says ${limit + 1})`,
    );
    await refused(
      open,
      () => upload(open, new Uint8Array(10), { 'content-type': 'application/x-msdownload' }),
      415,
      /file type application\/x-msdownload is not allowed; allowed: .*application\/pdf/,
    );
    await refused(open, () => upload(open, new Uint8Array(10), {}), 415, /Content-Type header/);
    await refused(
      open,
      () => upload(open, new Uint8Array(10), { 'content-type': 'text/plain' }, ''),
      400,
      'name: the file name is required (?name=)',
    );
    await refused(
      open,
      () => upload(open, new Uint8Array(0), { 'content-type': 'text/plain' }),
      400,
      'file: the file is empty',
    );
  });

  it('streams over the size limit without a Content-Length are cut at the limit (413), nothing kept', async () => {
    const limit = TRAINING_LIMITS.attachmentBytes;
    const chunks = [new Uint8Array(limit / 2), new Uint8Array(limit / 2), new Uint8Array(1024)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const before = await timelineCount(platform, open);
    const response = await fetch(
      `${platform.url}/v1/persona/train/sessions/${open}/attachments?name=big.pdf`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/pdf' },
        body,
        duplex: 'half',
      },
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toBe(
      `file: a file is at most ${limit} bytes`,
    );
    expect(await timelineCount(platform, open)).toBe(before);
    // Refused uploads (over the limit, empty) left no object behind.
    const store = platform.running.app.get<ObjectStore>(OBJECT_STORE);
    expect((await store.list(`${tenant}/training/${open}/attachments/`)).keys).toEqual([]);
  });

  it('a JSON file is an attachment, not a request body, when sent with Content-Disposition', async () => {
    const json = Buffer.from('{"b": 2,  "a": [1, 2]}');
    const answer = await api<{ fileName: string; sizeBytes: number }>(
      platform,
      alice,
      'POST',
      `/v1/persona/train/sessions/${open}/attachments`,
      new Uint8Array(json),
      { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="data.json"' },
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ fileName: 'data.json', sizeBytes: json.length });
  });

  it('start: bad base ref, unknown base, no name, wrong role', async () => {
    const start = (body: unknown, as: Credential = alice) => post('/start', body, as);
    expect((await start({ basePersona: 'tutor@prod' })).body.message).toMatch(
      /basePersona must be a sealed version "name.vN"/,
    );
    const missing = await start({ basePersona: 'nobody.v1' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/^base persona nobody.v1 not found/);
    expect((await start({})).body).toMatchObject({
      message: expect.stringContaining('name: required when no basePersona'),
      errors: [{ field: 'name' }],
    });
    expect((await start({ name: 'Bad Name' })).status).toBe(400);
    const reviewer = await mintKey(platform, 'reviewer', 'not a trainer');
    expect((await start({ name: 'tutor' }, reviewer)).status).toBe(403);
    expect(
      (await api(platform, undefined, 'POST', '/v1/persona/train/start', { name: 'tutor' })).status,
    ).toBe(401);
  });

  it('the draft prompt keeps the newest guidance only (bounded in the session row too)', async () => {
    const limit = TRAINING_LIMITS.guidanceItems;
    for (let i = 0; i < limit + 2; i++) {
      const explained = await post(`/sessions/${other}/annotations`, {
        eventId: (await otherStarted()).id,
        kind: 'explain',
        rationale: `lesson ${i}`,
      });
      expect(explained.status).toBe(201);
    }
    const detail = await api<{ session: { draftPrompt: string } }>(
      platform,
      alice,
      'GET',
      `/v1/persona/train/sessions/${other}`,
    );
    const lessons = detail.body.session.draftPrompt
      .split('\n')
      .filter((line) => line.startsWith('- lesson '));
    expect(lessons).toEqual(Array.from({ length: limit }, (_, i) => `- lesson ${i + 2}`));
    const { Client } = await import('pg');
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number; oldest: string }>(
        `SELECT jsonb_array_length(guidance) AS n, guidance->0->>'text' AS oldest FROM training.sessions WHERE id = $1`,
        [other],
      );
      expect(rows[0]).toEqual({ n: limit, oldest: 'lesson 2' });
    } finally {
      await client.end();
    }
  });

  /** The `started` event of the `other` session. */
  async function otherStarted(): Promise<{ id: string }> {
    const detail = await api<{ timeline: { id: string; type: string }[] }>(
      platform,
      alice,
      'GET',
      `/v1/persona/train/sessions/${other}?limit=1`,
    );
    return detail.body.timeline[0]!;
  }

  it('a close that stopped half-way (closing) refuses additions and can be retried', async () => {
    const stuck = ((await post('/start', { name: 'tutor' })).body as { sessionId: string }).sessionId;
    expect((await post(`/sessions/${stuck}/messages`, { content: 'Hello?' })).status).toBe(201);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      // What a crash after "mark closing", before the archive was written, leaves behind.
      await client.query(`UPDATE training.sessions SET state = 'closing', closing_at = now() WHERE id = $1`, [
        stuck,
      ]);
    } finally {
      await client.end();
    }
    await refused(
      stuck,
      () => post(`/sessions/${stuck}/messages`, { content: 'more?' }),
      409,
      `session ${stuck} is being closed; nothing can be added to it`,
    );
    const closed = await post('/close', { sessionId: stuck });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ session: { state: 'closed', events: 4 } });
    const verdict = await api(platform, alice, 'GET', `/v1/persona/train/sessions/${stuck}/archive/verify`);
    expect(verdict.body).toMatchObject({ ok: true });
  });

  it('the timeline cannot be edited, even in the database', async () => {
    const { Client } = await import('pg');
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    try {
      await expect(
        client.query(`UPDATE training.events SET type = 'x' WHERE session_id = $1`, [open]),
      ).rejects.toThrow('training.events is append-only: UPDATE refused');
      await expect(client.query(`DELETE FROM training.events WHERE session_id = $1`, [open])).rejects.toThrow(
        /append-only: DELETE refused/,
      );
    } finally {
      await client.end();
    }
  });
});
