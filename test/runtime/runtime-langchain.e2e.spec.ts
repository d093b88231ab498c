import { AIMessage, AIMessageChunk, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { SignedReceipt } from '@personae/runtime';
import { completion, ScriptedOpenAiServer, streamed } from '../models/scripted-openai.server';
import { uniqueTenant, type Platform } from '../registry/support';
import {
  bootWithScriptedModel,
  personaPack,
  sealPersona,
  verifyWithPublishedKey,
  type Cast,
} from './support';

/**
 * LangChain's ChatOpenAI, unchanged, against a persona: only its base URL, key and model (the persona
 * ref) are Personae's. The model behind the persona is the scripted OpenAI-protocol server.
 */
describe('runtime: OpenAI-compatible API with LangChain', () => {
  const tenant = uniqueTenant('runtime-langchain');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;
  let ref: string;
  let chat: ChatOpenAI;
  /** Only what any OpenAI-compatible endpoint needs: the base URL, a key, the model. */
  const chatOpenAi = (modelName: string, options: { __includeRawResponse?: boolean } = {}) =>
    new ChatOpenAI({
      model: modelName,
      apiKey: cast.orchestrator.token,
      configuration: { baseURL: `${platform.url}/v1` },
      maxRetries: 0,
      ...options,
    });

  beforeAll(async () => {
    ({ platform, model, cast } = await bootWithScriptedModel(tenant));
    ref = await sealPersona(
      platform,
      cast,
      personaPack('lab_helper', { system: 'You are a careful lab helper.', model: 'scripted-chat' }),
    );
    chat = chatOpenAi(ref);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
  });

  it('invokes a multi-turn chat: the persona prompt leads, usage and a verifiable receipt come back', async () => {
    model.reply(
      completion({ content: 'Use 70 % ethanol.', usage: { prompt_tokens: 40, completion_tokens: 5 } }),
    );
    model.reply(completion({ content: 'Wipe it too.' }));
    const answer = await chat.invoke([
      new SystemMessage('Be brief.'),
      new HumanMessage('I spilled a culture.'),
      new AIMessage('Which organism?'),
      new HumanMessage('E. coli. How do I clean it?'),
    ]);
    expect(answer.content).toBe('Use 70 % ethanol.');
    expect(answer.usage_metadata).toMatchObject({ input_tokens: 40, output_tokens: 5, total_tokens: 45 });
    expect(answer.response_metadata).toMatchObject({ model_name: ref, finish_reason: 'stop' });

    const sent = model.requests[model.requests.length - 1]!.body as {
      messages: { role: string; content: string }[];
    };
    expect(sent.messages[0]!.content).toContain('You are a careful lab helper.');
    expect(sent.messages[0]!.content).toContain('Be brief.');
    expect(sent.messages.slice(1).map((m) => [m.role, m.content])).toEqual([
      ['user', 'I spilled a culture.'],
      ['assistant', 'Which organism?'],
      ['user', 'E. coli. How do I clean it?'],
    ]);

    // The receipt rides in the body's `personae` field, which LangChain hands over with the raw response.
    const raw = await chatOpenAi(ref, { __includeRawResponse: true }).invoke('And the bench?');
    const signed = (raw.additional_kwargs.__raw_response as { personae: { receipt: SignedReceipt } }).personae
      .receipt;
    expect(signed.receipt.persona.ref).toBe(ref);
    expect(signed.receipt.outcome).toBe('completed');
    expect(await verifyWithPublishedKey(platform, signed)).toMatchObject({ ok: true });
  });

  it('streams sentence by sentence (the redaction window), and the chunks add up to the answer with its usage', async () => {
    model.reply(
      streamed({
        content: ['The bench', ' is clean. ', 'Wear', ' gloves', ' first.'],
        usage: { prompt_tokens: 14, completion_tokens: 7 },
      }),
    );
    const pieces: string[] = [];
    let whole: AIMessageChunk | undefined;
    for await (const chunk of await chat.stream([new HumanMessage('Anything else?')])) {
      if (typeof chunk.content === 'string' && chunk.content) pieces.push(chunk.content);
      whole = whole ? whole.concat(chunk) : chunk;
    }
    // The persona redacts personal data, so text is released when a sentence ends, not per token.
    expect(pieces).toEqual(['The bench is clean. ', 'Wear gloves first.']);
    expect(whole?.content).toBe('The bench is clean. Wear gloves first.');
    expect(whole?.usage_metadata).toMatchObject({ input_tokens: 14, output_tokens: 7 });
    expect(model.requests[model.requests.length - 1]!.body.stream).toBe(true);
  });

  it('refuses tools bound by the client, saying a persona has its own bundle', async () => {
    const requestsBefore = model.requests.length;
    const agent = chat.bindTools([
      {
        type: 'function',
        function: {
          name: 'run_shell',
          description: 'Runs a command',
          parameters: { type: 'object', properties: {} },
        },
      },
    ]);
    const error = await agent.invoke('List the files').then(
      () => undefined,
      (e: unknown) => e as { status?: number; message: string },
    );
    expect(error?.status).toBe(400);
    expect(error?.message).toMatch(/tools .*signed tool bundle/);
    expect(model.requests.length).toBe(requestsBefore);
  });

  it('surfaces an unknown persona as LangChain’s model-not-found error, without calling the model', async () => {
    const requestsBefore = model.requests.length;
    const stranger = chatOpenAi('nobody.v1');
    const error = await stranger.invoke('Hi').then(
      () => undefined,
      (e: unknown) => e as { status?: number; lc_error_code?: string; message: string },
    );
    expect(error?.status).toBe(404);
    expect(error?.lc_error_code).toBe('MODEL_NOT_FOUND');
    expect(error?.message).toMatch(/unknown persona ref nobody\.v1/);
    expect(model.requests.length).toBe(requestsBefore);
    expect(model.unexpected).toEqual([]);
  });
});
