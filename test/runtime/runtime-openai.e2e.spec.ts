import OpenAI from 'openai';
import type { SignedReceipt } from '@personae/runtime';
import { completion, ScriptedOpenAiServer, streamed } from '../models/scripted-openai.server';
import { registryAs, uniqueTenant, type Platform } from '../registry/support';
import {
  bootWithScriptedModel,
  personaPack,
  sealPersona,
  verifyWithPublishedKey,
  type Cast,
} from './support';

/** The official openai npm client, unchanged, against a persona: model = persona ref. */
describe('runtime: OpenAI-compatible API with the openai npm client', () => {
  const tenant = uniqueTenant('runtime-openai');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;
  let client: OpenAI;
  let ref: string;

  beforeAll(async () => {
    ({ platform, model, cast } = await bootWithScriptedModel(tenant));
    ref = await sealPersona(
      platform,
      cast,
      personaPack('chat_helper', { system: 'You are a friendly helper.', model: 'scripted-chat' }),
    );
    client = new OpenAI({ baseURL: `${platform.url}/v1`, apiKey: cast.orchestrator.token, maxRetries: 0 });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
  });

  it('lists the persona among the models, past the registry’s first page', async () => {
    // A hundred personas that sort first and have only a draft (nothing to run): the sealed one is on
    // the registry's second page of 100.
    const trainer = registryAs(platform, cast.trainer);
    for (let i = 0; i < 100; i++)
      await trainer.createDraft(
        personaPack(`aa_filler_${String(i).padStart(3, '0')}`, { system: 'Filler.' }),
      );
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([ref]);
  }, 60_000);

  it('retrieves a persona as a model, and answers an unknown one with model_not_found', async () => {
    const model = await client.models.retrieve(ref);
    expect(model).toMatchObject({ id: ref, object: 'model', owned_by: tenant });
    expect(model.created).toBeGreaterThan(1_700_000_000);
    for (const unknown of ['nobody.v1', 'chat_helper.v9', 'not a ref']) {
      const error = await client.models.retrieve(unknown).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    }
  });

  it('completes a non-streamed chat, with the persona prompt in front and a verifiable receipt', async () => {
    model.reply(
      completion({ content: 'Hello! How can I help?', usage: { prompt_tokens: 30, completion_tokens: 6 } }),
    );
    const { data, response } = await client.chat.completions
      .create({
        model: ref,
        messages: [
          { role: 'system', content: 'Answer in English.' },
          { role: 'user', content: 'Hi there' },
          { role: 'assistant', content: 'Hello.' },
          { role: 'user', content: 'Can you help me?' },
        ],
      })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Hello! How can I help?');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.model).toBe(ref);
    expect(data.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 6, total_tokens: 36 });
    const sent = model.requests[model.requests.length - 1]!.body as {
      messages: { role: string; content: string }[];
    };
    expect(sent.messages[0]!.content).toContain('You are a friendly helper.');
    expect(sent.messages[0]!.content).toContain('Answer in English.');
    expect(sent.messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hi there'],
      ['assistant', 'Hello.'],
      ['user', 'Can you help me?'],
    ]);
    const receiptId = response.headers.get('x-personae-receipt-id');
    const signed = (data as unknown as { personae: { receipt: SignedReceipt } }).personae.receipt;
    expect(signed.receipt.receiptId).toBe(receiptId);
    expect(await verifyWithPublishedKey(platform, signed)).toMatchObject({ ok: true });
  });

  it('streams a chat chunk by chunk', async () => {
    model.reply(
      streamed({
        content: ['Sure', ', here', ' you go.'],
        usage: { prompt_tokens: 12, completion_tokens: 4 },
      }),
    );
    const stream = await client.chat.completions.create({
      model: ref,
      messages: [{ role: 'user', content: 'Give me a hand' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Sure, here you go.');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4 });
    expect(model.requests[model.requests.length - 1]!.body.stream).toBe(true);
  });

  it('answers an unknown persona and a bad request in the OpenAI error shape', async () => {
    const unknown = await client.chat.completions
      .create({ model: 'nobody.v1', messages: [{ role: 'user', content: 'Hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(
      /unknown persona ref nobody.v1/,
    );
    const bad = await client.chat.completions
      .create({ model: 'not a ref', messages: [{ role: 'user', content: 'Hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(model.unexpected).toEqual([]);
  });
});
