import { canAdd, canClose } from './session-state';

describe('session state', () => {
  it('accepts events only while open', () => {
    expect(canAdd('s1', 'open').ok).toBe(true);
    expect(canAdd('s1', 'closing')).toEqual({
      ok: false,
      refusal: 'state',
      reason: 'session s1 is being closed; nothing can be added to it',
    });
    expect(canAdd('s1', 'closed')).toMatchObject({ ok: false, reason: expect.stringContaining('is closed') });
  });

  it('closes from open, retries from closing, never closes twice', () => {
    expect(canClose('s1', 'open').ok).toBe(true);
    expect(canClose('s1', 'closing').ok).toBe(true);
    expect(canClose('s1', 'closed')).toMatchObject({ ok: false, reason: 'session s1 is already closed' });
  });
});
