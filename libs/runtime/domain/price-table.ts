/** USD per million tokens, and the context window used to trim history. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  contextTokens: number;
}

export interface PriceEntry extends ModelPrice {
  /** A model name, a prefix ending in `*`, or `*`. */
  pattern: string;
}

export const DEFAULT_CONTEXT_TOKENS = 8192;
const FREE: ModelPrice = { inputPerMillion: 0, outputPerMillion: 0, contextTokens: DEFAULT_CONTEXT_TOKENS };

export class PriceTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceTableError';
  }
}

/**
 * Parses MODEL_PRICES: `pattern=input/output[/context]` separated by `;`, prices in USD per million
 * tokens, e.g. `gpt-4o-mini=0.15/0.6/128000; local-*=0/0; *=1/2`. Unlisted models cost nothing.
 */
export function parsePriceTable(text: string): PriceEntry[] {
  const entries = text
    .split(';')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const match =
      /^(\*|[A-Za-z0-9._:/@-]+\*?)=([0-9]+(?:\.[0-9]+)?)\/([0-9]+(?:\.[0-9]+)?)(?:\/([0-9]{1,9}))?$/.exec(
        entry.replace(/\s+/g, ''),
      );
    if (!match)
      throw new PriceTableError(
        `MODEL_PRICES entry ${i + 1} must look like "model=input/output[/contextTokens]" (USD per million tokens)`,
      );
    const pattern = match[1]!;
    if (seen.has(pattern)) throw new PriceTableError(`MODEL_PRICES pattern "${pattern}" appears twice`);
    seen.add(pattern);
    const contextTokens = match[4] ? Number(match[4]) : DEFAULT_CONTEXT_TOKENS;
    if (contextTokens < 256) throw new PriceTableError(`MODEL_PRICES entry ${i + 1}: context must be ≥ 256`);
    return {
      pattern,
      inputPerMillion: Number(match[2]),
      outputPerMillion: Number(match[3]),
      contextTokens,
    };
  });
}

/** Exact name, else the longest matching prefix, else `*`, else free (same rule as model routes). */
export function priceOf(table: readonly PriceEntry[], model: string): ModelPrice {
  let best: PriceEntry | undefined;
  let rank = -1;
  for (const entry of table) {
    const r =
      entry.pattern === model
        ? Number.MAX_SAFE_INTEGER
        : entry.pattern.endsWith('*') && model.startsWith(entry.pattern.slice(0, -1))
          ? entry.pattern.length
          : -1;
    if (r > rank) {
      best = entry;
      rank = r;
    }
  }
  return best ?? FREE;
}

/**
 * No cheaper than any of `prices` (the primary's first), input and output each: what to reserve when
 * any of these models may answer. The context window is the first one's.
 */
export function dearestOf(prices: readonly [ModelPrice, ...ModelPrice[]]): ModelPrice {
  return {
    inputPerMillion: Math.max(...prices.map((p) => p.inputPerMillion)),
    outputPerMillion: Math.max(...prices.map((p) => p.outputPerMillion)),
    contextTokens: prices[0].contextTokens,
  };
}

/** Cost in USD, rounded to 1e-9 so sums stay exact enough to compare with budgets. */
export function costOf(price: ModelPrice, tokensIn: number, tokensOut: number): number {
  return roundUsd((tokensIn * price.inputPerMillion + tokensOut * price.outputPerMillion) / 1_000_000);
}

/** What model calls cost, each at the price of the model that answered it. */
export function costOfCalls(
  table: readonly PriceEntry[],
  calls: readonly { model: string; promptTokens: number; completionTokens: number }[],
): number {
  let sum = 0;
  for (const call of calls)
    sum += costOf(priceOf(table, call.model), call.promptTokens, call.completionTokens);
  return roundUsd(sum);
}

/** USD to 1e-9, as costs are kept (a sum of costs too). */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

/**
 * The most output tokens `remaining` USD can pay for after the prompt, as `costOf` counts them (the
 * count whose cost fits and whose next does not, wherever a token costs 1e-9 USD or more; below that,
 * a few short); Infinity when output is free or nothing limits it.
 */
export function affordableOutputTokens(price: ModelPrice, remaining: number, tokensIn: number): number {
  const left = remaining - (tokensIn * price.inputPerMillion) / 1_000_000;
  if (!(left >= 0)) return 0;
  if (price.outputPerMillion === 0 || remaining === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  let tokens = Math.floor((left * 1_000_000) / price.outputPerMillion);
  // Floating point can land a token either side of the count costOf (rounded to 1e-9) agrees with.
  for (let step = 0; step < 2; step++) {
    if (costOf(price, tokensIn, tokens + 1) > remaining) break;
    tokens++;
  }
  for (let step = 0; step < 2; step++) {
    if (tokens === 0 || costOf(price, tokensIn, tokens) <= remaining) break;
    tokens--;
  }
  return tokens;
}
