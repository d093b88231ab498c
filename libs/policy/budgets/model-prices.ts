/** USD per 1,000 tokens. */
export interface ModelPrice {
  inputPer1k: number;
  outputPer1k: number;
}

export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices at the time of writing; deployments override them (GOVERNANCE_MODEL_PRICES). The offline
 * responder costs nothing. An unknown model is priced with `*` when present, so it is never free by
 * accident.
 */
export const DEFAULT_MODEL_PRICES: ModelPriceTable = {
  offline: { inputPer1k: 0, outputPer1k: 0 },
  'gpt-4o': { inputPer1k: 0.0025, outputPer1k: 0.01 },
  'gpt-4o-mini': { inputPer1k: 0.00015, outputPer1k: 0.0006 },
  'gpt-4.1': { inputPer1k: 0.002, outputPer1k: 0.008 },
  'gpt-4.1-mini': { inputPer1k: 0.0004, outputPer1k: 0.0016 },
  '*': { inputPer1k: 0.01, outputPer1k: 0.03 },
};

export function priceOf(prices: ModelPriceTable, model: string): ModelPrice | undefined {
  return prices[model] ?? prices['*'];
}

/** The most a call may cost: its input tokens and every token `maxTokens` allows it to generate. */
export function maxCallCost(price: ModelPrice, inputTokens: number, maxTokens: number): number {
  return (inputTokens * price.inputPer1k + maxTokens * price.outputPer1k) / 1000;
}

/** What a call cost, from the usage the model reported. */
export function callCost(price: ModelPrice, usage: { inputTokens: number; outputTokens: number }): number {
  return (usage.inputTokens * price.inputPer1k + usage.outputTokens * price.outputPer1k) / 1000;
}
