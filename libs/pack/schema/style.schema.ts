import { type Static } from '@sinclair/typebox';
import { Closed, Enum, Unit } from './common.schema';

export const VERBOSITY_LEVELS = ['concise', 'balanced', 'detailed', 'elaborate'] as const;
export const STYLE_TONES = [
  'professional',
  'friendly',
  'casual',
  'formal',
  'authoritative',
  'supportive',
  'analytical',
  'playful',
  'empathetic',
] as const;

export const ResponseStyleSchema = Closed(
  {
    verbosity: Enum(VERBOSITY_LEVELS, { default: 'balanced', description: 'How long answers are.' }),
    tone: Enum(STYLE_TONES, { default: 'professional', description: 'Overall register of answers.' }),
    humor: Unit('How much humour: none (0) to a lot (1).', 0.2),
    technicalDepth: Unit('Plain language (0) to expert detail (1).', 0.5),
    empathy: Unit('Matter-of-fact (0) to emotionally attentive (1).', 0.5),
    proactivity: Unit('Answers only what is asked (0) to anticipates next steps (1).', 0.5),
  },
  { default: {}, description: 'How answers are shaped.' },
);

export type Verbosity = (typeof VERBOSITY_LEVELS)[number];
export type StyleTone = (typeof STYLE_TONES)[number];
export type ResponseStyle = Static<typeof ResponseStyleSchema>;
