import { actionMatches, actionPatternCovers, decideAction } from './action-patterns';

describe('action patterns', () => {
  it('match exact names, trailing wildcards at any depth, and *', () => {
    expect(actionMatches('web.search', 'web.search')).toBe(true);
    expect(actionMatches('web.search', 'web.searches')).toBe(false);
    expect(actionMatches('web.*', 'web.search')).toBe(true);
    expect(actionMatches('web.*', 'web.fetch.pdf')).toBe(true);
    expect(actionMatches('web.*', 'web')).toBe(false);
    expect(actionMatches('web.*', 'webhook.call')).toBe(false);
    expect(actionMatches('*', 'anything.at.all')).toBe(true);
  });

  it('know when one pattern covers another', () => {
    expect(actionPatternCovers('web.*', 'web.search')).toBe(true);
    expect(actionPatternCovers('web.*', 'web.fetch.*')).toBe(true);
    expect(actionPatternCovers('web.fetch.*', 'web.*')).toBe(false);
    expect(actionPatternCovers('*', 'web.*')).toBe(true);
    expect(actionPatternCovers('web.search', '*')).toBe(false);
    expect(actionPatternCovers('web.search', 'web.search')).toBe(true);
    expect(actionPatternCovers('payments.*', 'payment.refund')).toBe(false);
  });

  it('decide with blocking first, then the allow-list if there is one', () => {
    const policy = { allowedActions: ['web.*', 'repo.read'], blockedActions: ['web.post'] };
    expect(decideAction(policy, 'web.search')).toBe('allowed');
    expect(decideAction(policy, 'web.post')).toBe('blocked');
    expect(decideAction(policy, 'repo.write')).toBe('not-allowed');
    expect(decideAction({ allowedActions: [], blockedActions: ['payments.*'] }, 'email.send')).toBe(
      'allowed',
    );
    expect(decideAction({ allowedActions: [], blockedActions: ['payments.*'] }, 'payments.send')).toBe(
      'blocked',
    );
  });
});
