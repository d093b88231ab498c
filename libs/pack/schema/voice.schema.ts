import { Type, type Static } from '@sinclair/typebox';
import { Closed, IDENTIFIER, LANGUAGE, Text } from './common.schema';

export const VoiceSchema = Closed(
  {
    provider: Type.String({
      pattern: IDENTIFIER,
      maxLength: 100,
      description: 'Speech provider, e.g. `openai` or `piper`.',
    }),
    voiceId: Type.String({ pattern: IDENTIFIER, maxLength: 200, description: 'Voice id at that provider.' }),
    language: Type.Optional(
      Type.String({ pattern: LANGUAGE, description: 'BCP 47 language tag, e.g. `en-GB`.' }),
    ),
    speakingRate: Type.Number({
      minimum: 0.25,
      maximum: 4,
      default: 1,
      description: 'Speed relative to normal (1).',
    }),
    pitch: Type.Number({
      minimum: -1,
      maximum: 1,
      default: 0,
      description: 'Pitch shift, lower (-1) to higher (1).',
    }),
    style: Type.Optional(Text(200, 'Delivery style in a few words, e.g. "calm, unhurried".')),
  },
  { description: 'Spoken voice, for personas that talk.' },
);

export type Voice = Static<typeof VoiceSchema>;
