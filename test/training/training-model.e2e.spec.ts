import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningService } from '@personae/service-kit';
import type { TimelineEvent } from '@personae/training';
import { completion, errorReply, ScriptedOpenAiServer, streamed } from '../models/scripted-openai.server';
import { createDatabase, jwtFor, parseSse, startPlatform, timelineCount, uniqueTenant } from './support';

interface ChatBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content: string }[];
}

/**
 * The agent answers through the model port — here an OpenAI-compatible endpoint (MODEL_BASE_URL), the
 * scripted server speaking the real protocol over a socket — with the draft prompt as it evolves: the
 * trainer's corrections replace the agent's mistakes in its memory and join its instructions.
 */
describe('training conversation through an OpenAI-compatible model', () => {
  const tenant = uniqueTenant('training-model');
  let model: ScriptedOpenAiServer;
  let database: { url: string; drop: () => Promise<void> };
  let dataDir: string;
  let running: RunningService;
  let sessionId: string;

  beforeAll(async () => {
    model = await ScriptedOpenAiServer.start();
    database = await createDatabase('training_model');
    dataDir = mkdtempSync(join(tmpdir(), 'personae-training-model-'));
    running = await startPlatform(database.url, dataDir, {
      MODEL_BASE_URL: model.baseUrl,
      MODEL_API_KEY: 'sk-training-test',
      MODEL_TIMEOUT_MS: '5000',
    });
  });

  afterAll(async () => {
    await running?.stop();
    await database?.drop();
    await model?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${running.url}/v1/persona/train${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${jwtFor(running, tenant, 'alice', 'trainer').token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('asks the model with the draft prompt and the conversation, and records the answer', async () => {
    const started = await call('/start', { name: 'tutor', systemPrompt: 'You tutor biology.' });
    sessionId = ((await started.json()) as { sessionId: string }).sessionId;
    model.reply(
      completion({ content: 'A cell is a small room.', usage: { prompt_tokens: 30, completion_tokens: 6 } }),
    );
    const answer = await call(`/sessions/${sessionId}/messages`, { content: 'What is a cell?' });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as { reply: string; model: string; agentTurn: { id: string } };
    expect(body).toMatchObject({ reply: 'A cell is a small room.', model: 'scripted-model' });
    const sent = model.requests[0]!.body as unknown as ChatBody;
    expect(sent.model).toBe('default');
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'You tutor biology.' });
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: 'What is a cell?' });
    expect(model.requests[0]!.headers.authorization).toBe('Bearer sk-training-test');

    const corrected = await call(`/sessions/${sessionId}/annotations`, {
      eventId: body.agentTurn.id,
      kind: 'correct',
      correctedAnswer: 'A cell is the smallest unit of life.',
    });
    expect(corrected.status).toBe(201);
    expect(
      (
        await call(`/sessions/${sessionId}/annotations`, {
          eventId: body.agentTurn.id,
          kind: 'explain',
          rationale: 'Use the textbook definition first.',
        })
      ).status,
    ).toBe(201);

    const detail = (await (await call(`/sessions/${sessionId}`)).json()) as { timeline: TimelineEvent[] };
    const agentTurn = detail.timeline.find((e) => e.id === body.agentTurn.id)!;
    expect(agentTurn.payload).toMatchObject({
      turn: {
        role: 'agent',
        model: 'scripted-model',
        tokensIn: 30,
        tokensOut: 6,
        content: 'A cell is a small room.',
      },
    });
  });

  it('streams the next answer, asked with the correction in its memory and the guidance in its prompt', async () => {
    model.reply(streamed({ content: ['Cells ', 'divide by ', 'mitosis.'] }));
    const response = await call(`/sessions/${sessionId}/messages`, {
      content: 'How do cells divide?',
      stream: true,
    });
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text)).toEqual([
      'Cells ',
      'divide by ',
      'mitosis.',
    ]);
    expect(events.at(-1)!.event).toBe('agent');

    const sent = model.requests.at(-1)!.body as unknown as ChatBody;
    expect(sent.stream).toBe(true);
    const system = sent.messages[0]!.content;
    expect(system).toContain('You tutor biology.');
    expect(system).toContain(
      'A better answer, as the trainer corrected it: A cell is the smallest unit of life.',
    );
    expect(system).toContain('Use the textbook definition first.');
    const conversation = sent.messages.filter((m) => m.role !== 'system');
    expect(conversation).toEqual([
      { role: 'user', content: 'What is a cell?' },
      { role: 'assistant', content: 'A cell is the smallest unit of life.' },
      { role: 'user', content: 'How do cells divide?' },
    ]);
  });

  it('a failing model: 502 naming the recorded trainer turn, and no agent turn', async () => {
    model.reply(errorReply(500, 'the model is down'));
    const before = await timelineCount({ databaseUrl: database.url }, sessionId);
    const answer = await call(`/sessions/${sessionId}/messages`, { content: 'Still there?' });
    expect(answer.status).toBe(502);
    const message = ((await answer.json()) as { message: string }).message;
    expect(message).toMatch(
      /^the model did not answer \(.*500.*\); the trainer's message was recorded as event /,
    );
    expect(await timelineCount({ databaseUrl: database.url }, sessionId)).toBe(before + 1);
    const detail = (await (await call(`/sessions/${sessionId}`)).json()) as { timeline: TimelineEvent[] };
    expect(detail.timeline.at(-1)!.payload).toMatchObject({
      turn: { role: 'trainer', content: 'Still there?' },
    });
    expect(model.unexpected).toEqual([]);
  });

  it('remembers the newest 40 turns, each answer with its latest correction', async () => {
    const started = await call('/start', { name: 'tutor', systemPrompt: 'You tutor chemistry.' });
    const session = ((await started.json()) as { sessionId: string }).sessionId;
    const ask = async (content: string, reply: string): Promise<string> => {
      model.reply(completion({ content: reply }));
      const answer = await call(`/sessions/${session}/messages`, { content });
      expect(answer.status).toBe(201);
      return ((await answer.json()) as { agentTurn: { id: string } }).agentTurn.id;
    };
    const correct = async (eventId: string, correctedAnswer: string): Promise<void> =>
      expect(
        (await call(`/sessions/${session}/annotations`, { eventId, kind: 'correct', correctedAnswer }))
          .status,
      ).toBe(201);

    const first = await ask('q0', 'a0');
    await correct(first, 'a0 corrected once');
    await correct(first, 'a0 corrected twice');
    const second = await ask('q1', 'a1');
    await correct(second, 'a1 corrected');
    for (let i = 2; i < 21; i++) await ask(`q${i}`, `a${i}`);
    const sent = model.requests.at(-1)!.body as unknown as ChatBody;
    expect(sent.messages.filter((m) => m.role !== 'system').slice(0, 4)).toEqual([
      { role: 'user', content: 'q0' },
      { role: 'assistant', content: 'a0 corrected twice' },
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1 corrected' },
    ]);

    // One more exchange: the first two turns leave the window; 40 remain, the correction of q1's answer with them.
    await ask('q21', 'a21');
    const last = (model.requests.at(-1)!.body as unknown as ChatBody).messages.filter(
      (m) => m.role !== 'system',
    );
    expect(last).toHaveLength(41);
    expect(last.slice(0, 2)).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1 corrected' },
    ]);
    expect(last.at(-1)).toEqual({ role: 'user', content: 'q21' });
    expect(model.unexpected).toEqual([]);
  });
});
