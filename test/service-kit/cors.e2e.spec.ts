import { bootPlatform, uniqueTenant, type Platform } from '../registry/support';
import { castOf, personaPack, sealPersona, type Cast } from '../runtime/support';

const CHAT_UI = 'https://chat.example.com';

/**
 * A chat UI running in a browser page on another origin, as the browser would talk to the platform
 * with CORS_ORIGINS set: a preflight without credentials, then the request with its bearer token.
 */
describe('CORS for browser clients (CORS_ORIGINS)', () => {
  let platform: Platform;
  let cast: Cast;
  let ref: string;

  beforeAll(async () => {
    platform = await bootPlatform(uniqueTenant('cors'), {
      env: { CORS_ORIGINS: `${CHAT_UI}, http://localhost:8080` },
    });
    cast = await castOf(platform);
    ref = await sealPersona(platform, cast, personaPack('cors_helper', { system: 'You help.' }));
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const preflight = (path: string, origin: string) =>
    fetch(`${platform.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, x-stainless-os',
      },
    });

  it('answers a preflight from an allowed origin before authentication, allowing the client’s headers', async () => {
    const response = await preflight('/v1/chat/completions', CHAT_UI);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(CHAT_UI);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type, x-stainless-os',
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('lets the page read a chat completion and its receipt id', async () => {
    const response = await fetch(`${platform.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        origin: CHAT_UI,
        authorization: `Bearer ${cast.orchestrator.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: ref, messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(CHAT_UI);
    expect(response.headers.get('access-control-expose-headers')).toContain('x-personae-receipt-id');
    expect(response.headers.get('x-personae-receipt-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('covers the fast routes too (runtime execute)', async () => {
    const created = await fetch(`${platform.url}/v1/runtime/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cast.orchestrator.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ref }),
    });
    const instance = (await created.json()) as { id: string };
    const path = `/v1/runtime/instances/${instance.id}/execute`;
    expect((await preflight(path, 'http://localhost:8080')).headers.get('access-control-allow-origin')).toBe(
      'http://localhost:8080',
    );
    const response = await fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: {
        origin: 'http://localhost:8080',
        authorization: `Bearer ${cast.orchestrator.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ input: 'Hello' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
  });

  it('still authenticates the request itself, and the page can read why it was refused', async () => {
    const response = await fetch(`${platform.url}/v1/models`, { headers: { origin: CHAT_UI } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(CHAT_UI);
  });

  it('gives an origin that is not listed nothing a browser would accept', async () => {
    const response = await preflight('/v1/chat/completions', 'https://evil.example.net');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const models = await fetch(`${platform.url}/v1/models`, {
      headers: { origin: 'https://evil.example.net', authorization: `Bearer ${cast.orchestrator.token}` },
    });
    expect(models.headers.get('access-control-allow-origin')).toBeNull();
  });
});
