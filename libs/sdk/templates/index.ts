import { type PersonaPack, validatePack } from '@personae/pack';
import type { PersonaBuilder } from '../persona-builder';
import { codeReviewer } from './code-reviewer';
import { contentWriter } from './content-writer';
import { dataAnalyst } from './data-analyst';
import { financialAdvisor } from './financial-advisor';
import { legalAnalyst } from './legal-analyst';
import { researchAssistant } from './research-assistant';

export { FINANCIAL_DISCLAIMER, LEGAL_DISCLAIMER } from './shared';

export interface PersonaTemplate {
  id: TemplateId;
  /** A fresh builder holding the template, to customise fluently before build(). */
  builder: () => PersonaBuilder;
}

export const TEMPLATES = {
  'legal-analyst': { id: 'legal-analyst', builder: legalAnalyst },
  'code-reviewer': { id: 'code-reviewer', builder: codeReviewer },
  'research-assistant': { id: 'research-assistant', builder: researchAssistant },
  'content-writer': { id: 'content-writer', builder: contentWriter },
  'data-analyst': { id: 'data-analyst', builder: dataAnalyst },
  'financial-advisor': { id: 'financial-advisor', builder: financialAdvisor },
} as const satisfies Record<string, { id: string; builder: () => PersonaBuilder }>;

export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];

/** Overrides merge into the template: objects field by field, lists and values replace. */
export type PackOverrides = DeepPartial<PersonaPack>;
type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * A validated pack from a template, e.g.
 *   createFromTemplate('code-reviewer', { metadata: { name: 'acme-reviewer' }, spec: { models: { budget: { maxCostPerDay: 5 } } } })
 */
export function createFromTemplate(id: TemplateId, overrides: PackOverrides = {}): PersonaPack {
  const template: PersonaTemplate | undefined = (TEMPLATES as Record<string, PersonaTemplate>)[id];
  if (!template) throw new Error(`unknown template "${String(id)}"; templates: ${TEMPLATE_IDS.join(', ')}`);
  return validatePack(merge(template.builder().build(), overrides));
}

function merge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isRecord(base) || !isRecord(override)) return override;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) result[key] = merge(base[key], value);
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { codeReviewer, contentWriter, dataAnalyst, financialAdvisor, legalAnalyst, researchAssistant };
