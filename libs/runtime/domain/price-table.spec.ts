import {
  affordableOutputTokens,
  costOf,
  costOfCalls,
  dearestOf,
  parsePriceTable,
  priceOf,
  PriceTableError,
} from './price-table';

describe('price table', () => {
  const table = parsePriceTable('gpt-4o-mini=0.15/0.6/128000; gpt-*=5/15; *=1/2');

  it('prices by exact name, then longest prefix, then *', () => {
    expect(priceOf(table, 'gpt-4o-mini')).toMatchObject({
      inputPerMillion: 0.15,
      outputPerMillion: 0.6,
      contextTokens: 128000,
    });
    expect(priceOf(table, 'gpt-4o')).toMatchObject({
      inputPerMillion: 5,
      outputPerMillion: 15,
      contextTokens: 8192,
    });
    expect(priceOf(table, 'llama3')).toMatchObject({ inputPerMillion: 1, outputPerMillion: 2 });
    expect(priceOf([], 'anything')).toMatchObject({ inputPerMillion: 0, outputPerMillion: 0 });
  });

  it('computes cost in USD and what a remaining budget can still buy', () => {
    const price = priceOf(table, 'gpt-4o');
    expect(costOf(price, 1000, 100)).toBe(0.0065);
    // 0.01 USD left, 1000 prompt tokens cost 0.005: 0.005 buys 333 output tokens at 15 USD per million.
    expect(affordableOutputTokens(price, 0.01, 1000)).toBe(333);
    expect(affordableOutputTokens(price, 0.001, 1000)).toBe(0);
    expect(affordableOutputTokens(priceOf([], 'x'), 0, 10)).toBe(Number.POSITIVE_INFINITY);
    expect(affordableOutputTokens(price, Number.NaN, 1000)).toBe(0);
    // No limit at all: any count fits.
    expect(affordableOutputTokens(price, Number.POSITIVE_INFINITY, 1000)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    // Each once came out a token short (the next one fit) or over (its cost was more than left).
    [0.15, 0.6, 2.166, 8992],
    [0.15, 0.6, 3.7649999999999997, 14912],
    [2.5, 10, 1.164, 5292],
    [2.5, 10, 1.4809999999999999, 6476],
  ])(
    'gives exactly the output tokens costOf says fit (in %d, out %d per million, %d USD left, %d in)',
    (inputPerMillion, outputPerMillion, remaining, tokensIn) => {
      const price = { inputPerMillion, outputPerMillion, contextTokens: 128_000 };
      const tokens = affordableOutputTokens(price, remaining, tokensIn);
      expect(costOf(price, tokensIn, tokens)).toBeLessThanOrEqual(remaining);
      expect(costOf(price, tokensIn, tokens + 1)).toBeGreaterThan(remaining);
    },
  );

  it("takes the dearest input and output of several models, and the first one's window", () => {
    expect(
      dearestOf([priceOf(table, 'gpt-4o-mini'), priceOf(table, 'gpt-4o'), priceOf(table, 'llama3')]),
    ).toEqual({ inputPerMillion: 5, outputPerMillion: 15, contextTokens: 128000 });
  });

  it('prices each call at its own model, and rounds the sum to 1e-9', () => {
    expect(
      costOfCalls(table, [
        { model: 'gpt-4o', promptTokens: 1000, completionTokens: 100 }, // 0.0065
        { model: 'gpt-4o-mini', promptTokens: 1000, completionTokens: 100 }, // 0.00021
      ]),
    ).toBe(0.00671);
    expect(costOfCalls(table, [])).toBe(0);
  });

  it('refuses malformed entries, naming the entry but not echoing it', () => {
    expect(() => parsePriceTable('gpt=abc')).toThrow(PriceTableError);
    expect(() => parsePriceTable('a=1/2; a=3/4')).toThrow(/appears twice/);
    expect(() => parsePriceTable('a=1/2/10')).toThrow(/context/);
    expect(parsePriceTable('')).toEqual([]);
  });
});
