import { NotFoundException } from '@nestjs/common';
import { requireSameTenant, scopeWhere, tenantScope } from './tenant-scope';

interface Doc {
  id: string;
  tenantId: string;
  name: string;
}

describe('tenant scoping', () => {
  const acme = { tenantId: 'acme' };

  it('tenantScope gives the tenant filter and refuses a missing or malformed tenant', () => {
    expect(tenantScope(acme)).toEqual({ tenantId: 'acme' });
    expect(() => tenantScope({ tenantId: '' })).toThrow(/valid tenant/);
    expect(() => tenantScope({ tenantId: undefined as unknown as string })).toThrow(/valid tenant/);
    expect(() => tenantScope({ tenantId: "acme' OR 1=1" })).toThrow(/valid tenant/);
  });

  it('scopeWhere overrides a tenant the caller passed', () => {
    expect(scopeWhere<Doc>(acme, { id: '1', tenantId: 'globex' })).toEqual({ id: '1', tenantId: 'acme' });
    expect(scopeWhere<Doc>(acme, undefined)).toEqual({ tenantId: 'acme' });
  });

  it('scopeWhere scopes every alternative of an OR, and an empty OR to the tenant', () => {
    expect(scopeWhere<Doc>(acme, [{ name: 'a' }, { name: 'b', tenantId: 'globex' }])).toEqual([
      { name: 'a', tenantId: 'acme' },
      { name: 'b', tenantId: 'acme' },
    ]);
    expect(scopeWhere<Doc>(acme, [])).toEqual({ tenantId: 'acme' });
  });

  it('requireSameTenant answers 404 for another tenant’s record, as for a missing one', () => {
    const record: Doc = { id: '1', tenantId: 'acme', name: 'x' };
    expect(requireSameTenant(acme, record)).toBe(record);
    expect(() => requireSameTenant({ tenantId: 'globex' }, record, 'persona')).toThrow(
      new NotFoundException('persona not found'),
    );
    expect(() => requireSameTenant(acme, null, 'persona')).toThrow(NotFoundException);
  });
});
