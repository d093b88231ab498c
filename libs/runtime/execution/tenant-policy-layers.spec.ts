import { Logger } from '@nestjs/common';
import { createServer } from 'node:net';
import type { ServiceUrls } from '@personae/service-kit';
import { TenantPolicyLayers, TenantPolicyUnavailable } from './tenant-policy-layers';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('TenantPolicyLayers', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('fails closed when the governance service cannot be reached for a tenant never read', async () => {
    const port = await closedPort();
    const urls = { governance: () => `http://127.0.0.1:${port}` } as unknown as ServiceUrls;
    const layers = new TenantPolicyLayers(urls);
    const caller = { tenantId: 'acme', token: 'pk_x_y' };
    await expect(layers.prepare(caller)).rejects.toBeInstanceOf(TenantPolicyUnavailable);
    await expect(layers.prepare(caller)).rejects.toThrow(/could not be read from the governance service/);
    expect(layers.layerOf('acme')).toBeUndefined();
  });
});
