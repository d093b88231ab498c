import { applyDraftAction, applyVersionAction, type DraftFacts } from './lifecycle';

const draft = (overrides: Partial<DraftFacts> = {}): DraftFacts => ({
  state: 'draft',
  authorId: 'author',
  trainerIds: ['trainer'],
  approvals: [],
  requiredApprovals: 2,
  ...overrides,
});
const approve = (reviewerId: string) => ({
  kind: 'approve' as const,
  reviewerId,
  comment: 'ok',
  at: '2026-11-21T00:00:00Z',
});

describe('draft lifecycle', () => {
  it('goes draft → in_review → approved once the required approvals are in → sealed', () => {
    const submitted = applyDraftAction(draft(), { kind: 'submit' });
    expect(submitted).toEqual({ ok: true, value: { state: 'in_review', approvals: [] } });
    const first = applyDraftAction(draft({ state: 'in_review' }), approve('r1'));
    expect(first.ok && first.value.state).toBe('in_review');
    const second = applyDraftAction(
      draft({ state: 'in_review', approvals: first.ok ? first.value.approvals : [] }),
      approve('r2'),
    );
    expect(second.ok && second.value.state).toBe('approved');
    const sealed = applyDraftAction(
      draft({ state: 'approved', approvals: second.ok ? second.value.approvals : [] }),
      { kind: 'seal' },
    );
    expect(sealed.ok && sealed.value.state).toBe('sealed');
  });

  it('enforces four eyes: not the author, not a trainer, not the same reviewer twice', () => {
    expect(applyDraftAction(draft({ state: 'in_review' }), approve('author'))).toEqual({
      ok: false,
      reason: 'the author of a draft cannot review it',
      refusal: 'four-eyes',
    });
    expect(applyDraftAction(draft({ state: 'in_review' }), approve('trainer'))).toMatchObject({
      ok: false,
      reason: /trainer/,
      refusal: 'four-eyes',
    });
    expect(
      applyDraftAction(draft({ state: 'in_review' }), { kind: 'reject', reviewerId: 'author', comment: 'x' }),
    ).toMatchObject({ ok: false, refusal: 'four-eyes' });
    const once = draft({ state: 'in_review', approvals: [{ reviewerId: 'r1', comment: '', at: '' }] });
    expect(applyDraftAction(once, approve('r1'))).toMatchObject({
      ok: false,
      reason: /already approved/,
      refusal: 'state',
    });
  });

  it('refuses transitions not allowed from the current state, saying why', () => {
    expect(applyDraftAction(draft(), { kind: 'seal' })).toMatchObject({
      ok: false,
      reason: /only an approved draft/,
    });
    expect(applyDraftAction(draft(), approve('r1'))).toMatchObject({ ok: false, reason: /state is draft/ });
    expect(applyDraftAction(draft({ state: 'in_review' }), { kind: 'edit' })).toMatchObject({
      ok: false,
      reason: /withdraw/,
    });
    expect(applyDraftAction(draft({ state: 'sealed' }), { kind: 'edit' })).toMatchObject({
      ok: false,
      reason: /immutable/,
    });
  });

  it('voids approvals on edit and requires a comment to reject', () => {
    const approved = draft({ state: 'approved', approvals: [{ reviewerId: 'r1', comment: '', at: '' }] });
    expect(applyDraftAction(approved, { kind: 'edit' })).toEqual({
      ok: true,
      value: { state: 'draft', approvals: [] },
    });
    expect(
      applyDraftAction(draft({ state: 'in_review' }), { kind: 'reject', reviewerId: 'r1', comment: ' ' }),
    ).toMatchObject({ ok: false, refusal: 'input' });
    expect(
      applyDraftAction(draft({ state: 'in_review' }), { kind: 'reject', reviewerId: 'r1', comment: 'tone' }),
    ).toMatchObject({ ok: true, value: { state: 'rejected' } });
  });

  it('does not seal when approvals fall short even if the state says approved', () => {
    expect(applyDraftAction(draft({ state: 'approved', approvals: [] }), { kind: 'seal' })).toMatchObject({
      ok: false,
      reason: /needs 2 approvals/,
    });
  });
});

describe('version lifecycle', () => {
  it('deprecates and revokes sealed versions and never promotes a revoked one', () => {
    expect(applyVersionAction('sealed', { kind: 'deprecate' })).toEqual({ ok: true, value: 'deprecated' });
    expect(applyVersionAction('deprecated', { kind: 'revoke' })).toEqual({ ok: true, value: 'revoked' });
    expect(applyVersionAction('revoked', { kind: 'promote' })).toMatchObject({ ok: false });
    expect(applyVersionAction('revoked', { kind: 'revoke' })).toMatchObject({ ok: false });
  });

  it('lets a channel roll back to a deprecated version but never promote one, nor use a revoked one', () => {
    expect(applyVersionAction('deprecated', { kind: 'promote' })).toMatchObject({
      ok: false,
      refusal: 'state',
    });
    expect(applyVersionAction('deprecated', { kind: 'rollback' })).toEqual({ ok: true, value: 'deprecated' });
    expect(applyVersionAction('revoked', { kind: 'rollback' })).toMatchObject({ ok: false });
    expect(applyVersionAction('sealed', { kind: 'promote' })).toEqual({ ok: true, value: 'sealed' });
  });
});

describe('deleting drafts', () => {
  it('deletes any draft that has not become a version', () => {
    for (const state of ['draft', 'in_review', 'approved', 'rejected'] as const)
      expect(applyDraftAction(draft({ state }), { kind: 'delete' }).ok).toBe(true);
    expect(applyDraftAction(draft({ state: 'sealed' }), { kind: 'delete' })).toMatchObject({
      ok: false,
      reason: /cannot be deleted/,
    });
  });
});
