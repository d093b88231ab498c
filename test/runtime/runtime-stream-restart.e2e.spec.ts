import { completion, ScriptedOpenAiServer, streamed } from '../models/scripted-openai.server';
import { call, restartPlatform, uniqueTenant, type Platform } from '../registry/support';
import {
  bootWithScriptedModel,
  personaPack,
  sealPersona,
  verifyWithPublishedKey,
  type Cast,
} from './support';

/** Native SSE streaming, PII kept out of memory, and instance state across a restart of the service. */
describe('runtime: native streaming and restarts', () => {
  const tenant = uniqueTenant('runtime-stream');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;
  let ref: string;

  beforeAll(async () => {
    ({ platform, model, cast } = await bootWithScriptedModel(tenant, {
      MODEL_PRICES: 'scripted-*=2/4',
    }));
    ref = await sealPersona(
      platform,
      cast,
      personaPack('stream_helper', { system: 'You help.', model: 'scripted-stream' }),
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
  });

  it('streams deltas as server-sent events, then the result with its receipt; personal data never reaches the model or memory', async () => {
    const id = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref })).body
      .id as string;
    model.reply(
      streamed({ content: ['Thanks. ', 'I will write to ', 'jane.doe@example.com today.', ' Bye.'] }),
    );
    const response = await fetch(`${platform.url}/v1/runtime/instances/${id}/execute`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cast.orchestrator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input: 'Please email me at jane.doe@example.com', stream: true }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((block) => {
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
        return { name, data: JSON.parse(data) as Record<string, unknown> };
      });
    const deltas = events.filter((e) => e.name === 'delta').map((e) => e.data.text as string);
    expect(deltas.length).toBeGreaterThan(1);
    const streamedText = deltas.join('');
    expect(streamedText).not.toContain('jane.doe@example.com');
    expect(streamedText).toContain('[EMAIL]');
    const done = events.find((e) => e.name === 'done')!.data as {
      outcome: string;
      content: string;
      receipt: never;
      decisions: { step: string }[];
    };
    expect(done.outcome).toBe('completed');
    expect(done.content).toBe(streamedText);
    expect(done.decisions.map((d) => d.step)).toEqual(
      expect.arrayContaining(['input-redaction', 'output-redaction']),
    );
    expect(await verifyWithPublishedKey(platform, done.receipt)).toMatchObject({ ok: true });
    expect(JSON.stringify(model.requests[model.requests.length - 1]!.body)).not.toContain(
      'jane.doe@example.com',
    );
    const memory = await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}/memory`);
    expect(JSON.stringify(memory.body)).not.toContain('jane.doe');
  });

  it('keeps instances, memory, state and totals across a restart of the service', async () => {
    const session = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/sessions', {})).body
      .id as string;
    const id = (
      await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref, sessionId: session })
    ).body.id as string;
    expect(
      (
        await call(platform, cast.orchestrator, 'PUT', `/v1/runtime/instances/${id}/state`, {
          state: { step: 3 },
        })
      ).status,
    ).toBe(200);
    model.reply(
      completion({ content: 'Remembered: blue.', usage: { prompt_tokens: 1000, completion_tokens: 500 } }),
    );
    await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/execute`, {
      input: 'My colour is blue.',
    });
    const before = (await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}`)).body;
    expect(before).toMatchObject({ totals: { requests: 1, tokensIn: 1000, tokensOut: 500, cost: 0.004 } });

    await restartPlatform(platform);

    const after = (await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}`)).body;
    expect(after).toEqual(before);
    const memory = (await call(platform, cast.orchestrator, 'GET', `/v1/runtime/instances/${id}/memory`))
      .body;
    expect(memory).toMatchObject({
      state: { step: 3 },
      messages: [{ content: 'My colour is blue.' }, { content: 'Remembered: blue.' }],
    });
    model.reply(completion({ content: 'Your colour is blue.' }));
    const next = await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/execute`, {
      input: 'What is my colour?',
    });
    expect(next.body).toMatchObject({ outcome: 'completed' });
    const sent = model.requests[model.requests.length - 1]!.body as { messages: { content: string }[] };
    expect(sent.messages.map((m) => m.content)).toEqual(
      expect.arrayContaining(['My colour is blue.', 'Remembered: blue.']),
    );
    // Receipts signed before the restart still verify with the (same) published key.
    expect(await verifyWithPublishedKey(platform, next.body.receipt as never)).toMatchObject({ ok: true });
    const totals = (await call(platform, cast.orchestrator, 'GET', `/v1/runtime/sessions/${session}`)).body;
    expect(totals).toMatchObject({ totals: { requests: 2 } });
  });
});
