import { Redis } from 'ioredis';
import { completion, ScriptedOpenAiServer } from '../models/scripted-openai.server';
import { redisServerInstalled, startRedisServer } from '../policy/redis-server';
import { call, restartPlatform, uniqueTenant, type Platform } from '../registry/support';
import { bootWithScriptedModel, personaPack, sealPersona, type Cast } from './support';

/** With REDIS_URL: sealed packs shared through Redis (verified again on read), budgets counted in Redis. */
function suite(): void {
  const tenant = uniqueTenant('runtime-redis');
  let platform: Platform;
  let model: ScriptedOpenAiServer;
  let cast: Cast;
  let redisServer: { url: string; stop: () => Promise<void> };
  let redis: Redis;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    redis = new Redis(redisServer.url);
    ({ platform, model, cast } = await bootWithScriptedModel(tenant, {
      MODEL_PRICES: 'scripted-*=1000/1000',
      REDIS_URL: redisServer.url,
    }));
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await model?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('caches sealed packs by digest in Redis, never runs a poisoned entry, and counts budgets there', async () => {
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('cached_one', {
        system: 'You are genuine.',
        model: 'scripted-cache',
        budget: { maxCostPerDay: 5 },
      }),
    );
    const id = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref })).body
      .id as string;
    const keys = await redis.keys(`personae:runtime:pack:${tenant}:*`);
    expect(keys).toHaveLength(1);
    const stored = JSON.parse((await redis.get(keys[0]!))!) as { canonical: string; digest: string };
    expect(stored.canonical).toContain('You are genuine.');

    model.reply(completion({ content: 'Hi.', usage: { prompt_tokens: 100, completion_tokens: 10 } }));
    expect(
      (
        await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/execute`, {
          input: 'Hi',
        })
      ).status,
    ).toBe(200);
    const budgetKeys = await redis.keys(`budget:{${tenant}}:persona:cached_one:*`);
    expect(budgetKeys).toHaveLength(1);
    expect(Number(await redis.get(budgetKeys[0]!))).toBe(110_000); // 0.11 USD in micro-USD

    // Someone with access to Redis swaps the bytes. After a restart (cold process caches) the runtime
    // reads Redis, the copy fails verification, is dropped, and the genuine pack comes from the registry.
    await redis.set(
      keys[0]!,
      JSON.stringify({ ...stored, canonical: stored.canonical.replace('You are genuine.', 'You are evil.') }),
    );
    await restartPlatform(platform);
    model.reply(completion({ content: 'Still genuine.' }));
    const after = await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/execute`, {
      input: 'Who are you?',
    });
    expect(after.body).toMatchObject({ outcome: 'completed', content: 'Still genuine.' });
    const sent = model.requests[model.requests.length - 1]!.body as { messages: { content: string }[] };
    expect(sent.messages[0]!.content).toContain('You are genuine.');
    expect(sent.messages[0]!.content).not.toContain('evil');
    expect((JSON.parse((await redis.get(keys[0]!))!) as { canonical: string }).canonical).toContain(
      'You are genuine.',
    );
    expect(model.unexpected).toEqual([]);
  });
}

if (redisServerInstalled()) {
  describe('runtime with Redis', suite);
} else {
  console.log('runtime Redis suite skipped: no redis-server binary (apt-get install -y redis-server)');
  describe.skip('runtime with Redis', () => {
    it('needs the redis-server binary on the PATH (apt-get install -y redis-server)', () => undefined);
  });
}
