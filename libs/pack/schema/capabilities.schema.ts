import { Enum, List } from './common.schema';

export const CAPABILITIES = [
  'research',
  'analysis',
  'writing',
  'coding',
  'critique',
  'summarization',
  'translation',
  'data_processing',
  'creative',
  'legal',
  'financial',
  'medical',
  'technical',
  'qa',
  'conversation',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** Capabilities that touch regulated advice; governance decides what they require (see regulated.ts). */
export const REGULATED_CAPABILITIES: readonly Capability[] = ['legal', 'financial', 'medical'];

export const CapabilitySchema = Enum(CAPABILITIES, { description: 'A capability.' });

export const CapabilitiesSchema = List(
  CapabilitySchema,
  CAPABILITIES.length,
  'What the persona is competent at; used for discovery and by governance.',
  true,
);
