import { corsOptionsFor } from './cors';

describe('corsOptionsFor', () => {
  it('gives no CORS at all without origins', () => {
    expect(corsOptionsFor([])).toBeUndefined();
  });

  it('allows the listed origins only, or any with *, never with credentials', () => {
    expect(corsOptionsFor(['https://chat.example.com'])).toMatchObject({
      origin: ['https://chat.example.com'],
      credentials: false,
    });
    expect(corsOptionsFor(['*'])).toMatchObject({ origin: '*', credentials: false });
  });

  it('lets pages read the receipt id of an execution', () => {
    expect(corsOptionsFor(['*'])?.exposedHeaders).toContain('x-personae-receipt-id');
  });
});
