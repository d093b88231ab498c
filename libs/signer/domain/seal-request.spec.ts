import { createFromTemplate } from '@personae/sdk';
import { checkSealRequest, MAX_APPROVALS, type SealInput } from './seal-request';

const tenant = 'acme';
const pack = (metadata: Record<string, unknown> = {}) =>
  createFromTemplate('code-reviewer', { metadata: { name: 'reviewer', version: 3, tenant, ...metadata } });
const input = (overrides: Partial<SealInput> = {}): SealInput => ({
  pack: pack(),
  approvals: [{ by: 'ana', role: 'reviewer', at: '2026-11-21T10:00:00Z' }],
  governanceReportDigest: `sha256:${'a'.repeat(64)}`,
  ...overrides,
});
const problems = (overrides: Partial<SealInput> = {}) => {
  const result = checkSealRequest(input(overrides), tenant);
  return result.ok ? [] : result.problems;
};

describe('checkSealRequest', () => {
  it('accepts a normalized, versioned pack of the tenant and returns what seals need', () => {
    const result = checkSealRequest(input(), tenant);
    expect(result).toMatchObject({
      ok: true,
      value: { name: 'reviewer', version: 3, governanceReportDigestHex: 'a'.repeat(64) },
    });
  });

  it("accepts a pack without a tenant (the caller's tenant is recorded in the log)", () => {
    const { tenant: _tenant, ...metadata } = pack().metadata;
    expect(problems({ pack: { ...pack(), metadata } })).toEqual([]);
  });

  it('names pack problems by JSON pointer under /pack', () => {
    const offSchema = structuredClone(pack()) as unknown as { spec: { personality: { openness: number } } };
    offSchema.spec.personality.openness = 2;
    expect(problems({ pack: offSchema })).toEqual([
      expect.objectContaining({ field: '/pack/spec/personality/openness' }),
    ]);
    expect(problems({ pack: 'not a pack' })).toEqual([expect.objectContaining({ field: '/pack' })]);
  });

  it("requires a version, the caller's tenant and the normalized form", () => {
    const { version: _version, ...unversioned } = pack().metadata;
    expect(problems({ pack: { ...pack(), metadata: unversioned } })).toEqual([
      expect.objectContaining({ field: '/pack/metadata/version' }),
    ]);
    expect(problems({ pack: pack({ tenant: 'globex' }) })).toEqual([
      { field: '/pack/metadata/tenant', reason: 'must be your tenant (acme) or absent' },
    ]);
    const partial = structuredClone(pack()) as unknown as { spec: { style: Record<string, unknown> } };
    delete partial.spec.style.humor;
    expect(problems({ pack: partial })).toEqual([
      expect.objectContaining({
        field: '/pack/spec/style/humor',
        reason: expect.stringContaining('validatePack'),
      }),
    ]);
  });

  it('refuses packs larger than the pack size limit before validating them', () => {
    const huge = { ...pack(), spec: { ...pack().spec, padding: 'x'.repeat(600 * 1024) } };
    expect(problems({ pack: huge })).toEqual([
      { field: '/pack', reason: expect.stringContaining('exceeds') as string },
    ]);
  });

  it('checks approvals and the governance digest, reporting every field at once', () => {
    expect(
      problems({
        approvals: [{ by: ' ', role: 'reviewer', at: 'soon' }],
        governanceReportDigest: 'a'.repeat(64),
      }),
    ).toEqual([
      { field: 'governanceReportDigest', reason: 'must be sha256:<64 lowercase hex characters>' },
      { field: 'approvals[0].by', reason: 'must not be blank' },
      { field: 'approvals[0].at', reason: 'must be an ISO 8601 instant' },
    ]);
    expect(problems({ approvals: [] })).toEqual([
      { field: 'approvals', reason: 'at least one approval is required' },
    ]);
    const many = Array.from({ length: MAX_APPROVALS + 1 }, (_, i) => ({
      by: `r${i}`,
      role: 'reviewer',
      at: '2026-01-01',
    }));
    expect(problems({ approvals: many })).toEqual([expect.objectContaining({ field: 'approvals' })]);
  });

  it("requires as many distinct approvers as the pack's policy asks for", () => {
    const strict = createFromTemplate('code-reviewer', {
      metadata: { name: 'reviewer', version: 1 },
      spec: { policy: { requiredApprovals: 2 } },
    });
    const twice = [
      { by: 'ana', role: 'reviewer', at: '2026-01-01T00:00:00Z' },
      { by: 'ana', role: 'reviewer', at: '2026-01-02T00:00:00Z' },
    ];
    expect(problems({ pack: strict, approvals: twice })).toEqual([
      { field: 'approvals', reason: "the pack's policy requires 2 distinct approvers, the request has 1" },
    ]);
    expect(problems({ pack: strict, approvals: [twice[0]!, { ...twice[1]!, by: 'bo' }] })).toEqual([]);
  });
});
