import { OFFLINE_DISCLAIMER } from '@personae/models';
import { bootPlatform, call, uniqueTenant, type Platform } from '../registry/support';
import { castOf, personaPack, sealPersona, snapshotOf, type Cast } from './support';

/** No MODEL_BASE_URL: the offline retrieval responder answers from the persona's own knowledge and says so. */
describe('runtime: offline retrieval responder by default', () => {
  const tenant = uniqueTenant('runtime-offline');
  let platform: Platform;
  let cast: Cast;

  beforeAll(async () => {
    platform = await bootPlatform(tenant, { env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
    cast = await castOf(platform);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it("answers from the persona's knowledge, quoting it and saying it is not a model", async () => {
    const knowledge = await snapshotOf(platform, cast, [
      {
        source: 'ribosomes.md',
        text: 'Ribosomes translate messenger RNA into proteins. They are found in every living cell.',
      },
    ]);
    const ref = await sealPersona(
      platform,
      cast,
      personaPack('offline_one', { system: 'You explain biology.', knowledge: [knowledge] }),
    );
    const id = (await call(platform, cast.orchestrator, 'POST', '/v1/runtime/instances', { ref })).body
      .id as string;
    const result = await call(platform, cast.orchestrator, 'POST', `/v1/runtime/instances/${id}/execute`, {
      input: 'What do ribosomes translate?',
    });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ outcome: 'completed', provider: 'offline-retrieval' });
    expect(result.body.content).toContain(OFFLINE_DISCLAIMER);
    expect(result.body.content).toContain('Ribosomes translate messenger RNA into proteins.');
  });
});
