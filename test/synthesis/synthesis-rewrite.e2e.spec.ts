import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { PersonaPack } from '@personae/pack';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import { completion, ScriptedOpenAiServer } from '../models/scripted-openai.server';
import {
  bootPlatform,
  call,
  eventually,
  personToken,
  registryAs,
  uniqueTenant,
  type Credential,
  type Platform,
} from '../registry/support';
import { SessionBuilder } from './session-builder';
import { publishTraining, sql, TrainingOutboxFixtureModule } from './support';

/**
 * With a model endpoint configured (MODEL_BASE_URL, here the scripted OpenAI server over a real
 * socket), the pipeline rewrites the prompt for fluency: the draft carries the rewrite with an `llm`
 * provenance entry, and the deterministic draft stays available from the pipeline. The session also
 * uploads an attachment of several MiB, streamed through the knowledge step.
 */
describe('synthesis pipeline with a model endpoint (platform e2e)', () => {
  const tenant = uniqueTenant('synth-llm');
  let model: ScriptedOpenAiServer;
  let platform: Platform;
  let trainer: Credential;

  beforeAll(async () => {
    model = await ScriptedOpenAiServer.start();
    platform = await bootPlatform(tenant, {
      modules: [TrainingOutboxFixtureModule],
      env: { MODEL_BASE_URL: model.baseUrl },
    });
    trainer = personToken(platform, 'trainer-bo', 'trainer');
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
  });

  it('saves the rewritten prompt marked llm, keeps the deterministic one, and streams a large attachment', async () => {
    const rewritten =
      'You are a field ecologist. When counting birds, always note the weather and the time of day.';
    model.reply(completion({ content: rewritten, model: 'gpt-4o-mini' }));

    const objects = platform.running.app.get<ObjectStore>(ENCRYPTED_OBJECT_STORE);
    const key = `training/${tenant}/${randomUUID()}/survey.txt`;
    const paragraphs = 80_000; // ≈ 4.3 MiB of text, uploaded as a stream
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < paragraphs; i++)
          yield `Transect ${i}: 12 robins, 3 wrens, light rain at dawn.\n\n`;
        yield 'Closing note: the owl nest by the river is protected.\n';
      })(),
    );
    const stored = await objects.put(key, body, { contentType: 'text/plain' });
    expect(stored.size).toBeGreaterThan(4 * 1024 * 1024);

    const s = new SessionBuilder(tenant, 'trainer-bo', 'field_ecologist');
    s.start();
    const q = s.trainer('What should I record on a bird count?');
    const a = s.agent('Count the birds.', q);
    const correction = s.annotate(a, 'correct', {
      correctedAnswer: 'Record species, counts, weather and time of day.',
    });
    const upload = s.attach('survey.txt', key, stored.size, stored.sha256, 'text/plain');
    s.close();
    await publishTraining(platform, s.events);

    const run = await eventually(
      async () => (await call(platform, trainer, 'GET', `/v1/synthesis/sessions/${s.sessionId}`)).body,
      (body) => body.state === 'done' || body.state === 'failed',
      90_000,
    );
    expect(run).toMatchObject({ state: 'done', rewritten: true });
    const deterministic = run.deterministicPack as PersonaPack;
    expect(deterministic.spec.prompt.system).toContain('Record species, counts, weather and time of day.');

    const draft = await registryAs(platform, trainer).getDraft(run.draftId as string);
    const pack = draft.pack as unknown as PersonaPack;
    expect(pack.spec.prompt.system).toBe(rewritten);
    const llm = pack.provenance!.changes.filter((c) => c.origin === 'llm');
    expect(llm).toEqual([
      expect.objectContaining({ path: '/spec/prompt/system', events: [correction.id, a.id, q.id] }),
    ]);
    expect(llm[0]!.reason).toContain('gpt-4o-mini');
    // The model was asked to edit the deterministic prompt, nothing else.
    expect(model.requests).toHaveLength(1);
    const messages = model.requests[0]!.body.messages as { role: string; content: string }[];
    expect(messages[1]!.content).toBe(deterministic.spec.prompt.system);

    // The attachment went through the knowledge step in chunks, pinned by the manifest digest.
    const knowledge = pack.spec.knowledge[0]!;
    expect(knowledge.chunks).toBeGreaterThan(3000);
    const last = await sql<{ text: string; source: string }>(
      platform,
      `SELECT text, source FROM knowledge.chunks WHERE snapshot_id = $1 ORDER BY ordinal DESC LIMIT 1`,
      [knowledge.snapshot],
    );
    expect(last[0]).toMatchObject({
      source: `attachment:${upload.id}:survey.txt`,
      text: expect.stringContaining('owl nest by the river'),
    });
    const immutable = await sql(platform, `DELETE FROM knowledge.chunks WHERE snapshot_id = $1`, [
      knowledge.snapshot,
    ]).then(
      () => 'deleted',
      (error: Error) => error.message,
    );
    expect(immutable).toMatch(/is sealed/);
  }, 180_000);
});
