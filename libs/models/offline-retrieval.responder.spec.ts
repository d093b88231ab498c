import type { KnowledgePassage, ModelChunk, ModelRequest } from './model-provider.port';
import { ModelAbortedError, ModelRequestError } from './model-errors';
import {
  NOTHING_RELEVANT,
  OFFLINE_DISCLAIMER,
  OfflineRetrievalResponder,
} from './offline-retrieval.responder';
import { estimateTokens } from './token-estimate';

const passages: KnowledgePassage[] = [
  {
    id: 'p1',
    source: 'cell-biology.md',
    text: 'Mitochondria produce most of the ATP a cell uses. They have their own DNA. The nucleus stores the genome.',
  },
  {
    id: 'p2',
    source: 'photosynthesis.md',
    text: 'Chloroplasts capture light energy.\nPlants store energy as starch.',
  },
  {
    id: 'p3',
    text: 'Ribosomes build proteins from amino acids. Mitochondrial ribosomes resemble bacterial ones.',
  },
];

const ask = (question: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  model: 'any-model',
  messages: [
    { role: 'system', content: 'You are a biology researcher.' },
    { role: 'user', content: 'An earlier question about chloroplasts' },
    { role: 'assistant', content: 'An earlier answer' },
    { role: 'user', content: question },
  ],
  context: { passages },
  ...extra,
});

describe('offline retrieval responder', () => {
  const responder = new OfflineRetrievalResponder();

  it('answers the last user message with the best sentences, each with its source, after the disclaimer', async () => {
    const response = await responder.complete(ask('Which organelle produces ATP for the cell?'));
    expect(response.content.startsWith(OFFLINE_DISCLAIMER)).toBe(true);
    const quotes = response.content.split('\n').filter((line) => line.startsWith('- '));
    expect(quotes[0]).toBe('- "Mitochondria produce most of the ATP a cell uses." [cell-biology.md]');
    expect(quotes.length).toBeLessThanOrEqual(3);
    expect(response.content).not.toContain('Chloroplasts');
    expect(response).toMatchObject({
      model: 'offline-retrieval',
      provider: 'offline-retrieval',
      toolCalls: [],
      finishReason: 'stop',
      usage: { estimated: true, completionTokens: estimateTokens(response.content) },
    });
    expect(response.usage.promptTokens).toBeGreaterThan(
      estimateTokens(passages.map((p) => p.text).join(' ')),
    );
  });

  it('quotes up to three sentences scoring at least half the best, with the id when there is no source', async () => {
    const response = await responder.complete(ask('ribosomes'));
    const quotes = response.content.split('\n').filter((line) => line.startsWith('- '));
    expect(quotes).toEqual([
      '- "Ribosomes build proteins from amino acids." [p3]',
      '- "Mitochondrial ribosomes resemble bacterial ones." [p3]',
    ]);
  });

  it('says plainly when nothing relevant is known, and when there is no knowledge or question', async () => {
    for (const request of [
      ask('What is the capital of France?'),
      ask('Which organelle produces ATP?', { context: undefined }),
      ask('the of and'),
      { model: 'm', messages: [{ role: 'system' as const, content: 'no user turn' }], context: { passages } },
    ]) {
      const response = await responder.complete(request);
      expect(response.content).toBe(`${OFFLINE_DISCLAIMER}\n\n${NOTHING_RELEVANT}`);
      expect(response.finishReason).toBe('stop');
    }
  });

  it('is deterministic', async () => {
    const question = 'How do plants store light energy?';
    const first = await responder.complete(ask(question));
    for (let i = 0; i < 5; i++) expect(await responder.complete(ask(question))).toEqual(first);
    expect(first.content).toContain('[photosynthesis.md]');
  });

  it('honours maxTokens for the quotes, never cutting the disclaimer', async () => {
    const full = await responder.complete(ask('Which organelle produces ATP for the cell?'));
    const disclaimerTokens = estimateTokens(OFFLINE_DISCLAIMER);
    for (const maxTokens of [disclaimerTokens + 6, disclaimerTokens + 12]) {
      const cut = await responder.complete(ask('Which organelle produces ATP for the cell?', { maxTokens }));
      expect(cut.finishReason).toBe('length');
      expect(cut.content.startsWith(OFFLINE_DISCLAIMER)).toBe(true);
      expect(estimateTokens(cut.content)).toBeLessThanOrEqual(maxTokens);
      expect(cut.content.length).toBeLessThan(full.content.length);
      expect(cut.content.endsWith('…')).toBe(true);
    }
    const tiny = await responder.complete(ask('Which organelle produces ATP?', { maxTokens: 1 }));
    expect(tiny).toMatchObject({ content: OFFLINE_DISCLAIMER, finishReason: 'length' });
    const roomy = await responder.complete(
      ask('Which organelle produces ATP for the cell?', { maxTokens: 10_000 }),
    );
    expect(roomy.content).toBe(full.content);
  });

  it('streams the same text in several chunks, then the response', async () => {
    const request = ask('Which organelle produces ATP for the cell?');
    const chunks: ModelChunk[] = [];
    for await (const chunk of responder.stream(request)) chunks.push(chunk);
    const done = chunks.at(-1);
    expect(done?.type).toBe('done');
    const text = chunks.flatMap((c) => (c.type === 'content' ? [c.text] : [])).join('');
    expect(chunks.length).toBeGreaterThan(3);
    expect(done?.type === 'done' && done.response).toEqual(await responder.complete(request));
    expect(text).toBe((await responder.complete(request)).content);
  });

  it('stops on abort and refuses malformed passages', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(responder.complete(ask('ATP', { signal: controller.signal }))).rejects.toBeInstanceOf(
      ModelAbortedError,
    );
    await expect(
      responder.complete(
        ask('ATP', { context: { passages: [{ id: 1, text: null } as unknown as KnowledgePassage] } }),
      ),
    ).rejects.toBeInstanceOf(ModelRequestError);
  });
});
