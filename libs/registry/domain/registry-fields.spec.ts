import { minimalPack } from '../../pack/minimal-pack.fixture';
import { PackValidationError, validatePack } from '@personae/pack';
import { draftPack, forkedPack, sealedPack } from './registry-fields';

const owner = { tenant: 'acme', createdBy: 'apikey:123' };

describe('registry-owned pack fields', () => {
  it('stamps tenant and creator on drafts and drops any version a caller sent', () => {
    const sent = minimalPack();
    sent.metadata.version = 9;
    sent.metadata.tenant = 'elsewhere';
    const pack = draftPack(validatePack(sent), owner);
    expect(pack.metadata).toMatchObject({ name: 'helper', tenant: 'acme', createdBy: 'apikey:123' });
    expect(pack.metadata.version).toBeUndefined();
    expect(sealedPack(pack, 3).metadata.version).toBe(3);
  });

  it('refuses the names the API uses as path segments', () => {
    const sent = minimalPack();
    sent.metadata.name = 'drafts';
    expect(() => draftPack(validatePack(sent), owner)).toThrow(PackValidationError);
  });

  it('forks a version under a new name with forkedFrom and a fresh provenance', () => {
    const source = sealedPack(draftPack(validatePack(minimalPack()), owner), 2);
    const fork = forkedPack(source, 'helper_two', 'helper.v2', { tenant: 'acme', createdBy: 'apikey:456' });
    expect(fork.metadata).toMatchObject({
      name: 'helper_two',
      forkedFrom: 'helper.v2',
      createdBy: 'apikey:456',
    });
    expect(fork.metadata.version).toBeUndefined();
    expect(fork.provenance).toEqual({ base: 'helper.v2', trainingSessions: [], changes: [] });
    expect(fork.spec).toEqual(source.spec);
  });
});
