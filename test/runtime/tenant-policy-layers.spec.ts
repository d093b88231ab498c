import { Logger } from '@nestjs/common';
import type { ServiceUrls } from '@personae/service-kit';
import {
  TenantPolicyLayers,
  TenantPolicyUnavailable,
} from '../../libs/runtime/execution/tenant-policy-layers';
import { freePort } from '../setup/free-port';

describe('TenantPolicyLayers', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('fails closed when the governance service cannot be reached for a tenant never read', async () => {
    const port = await freePort();
    const urls = { governance: () => `http://127.0.0.1:${port}` } as unknown as ServiceUrls;
    const layers = new TenantPolicyLayers(urls);
    const caller = { tenantId: 'acme', token: 'pk_x_y' };
    await expect(layers.prepare(caller)).rejects.toBeInstanceOf(TenantPolicyUnavailable);
    await expect(layers.prepare(caller)).rejects.toThrow(/could not be read from the governance service/);
    expect(layers.layerOf('acme')).toBeUndefined();
  });
});
