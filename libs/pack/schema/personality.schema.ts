import { type Static } from '@sinclair/typebox';
import { Closed, Unit } from './common.schema';

export const PersonalitySchema = Closed(
  {
    openness: Unit('Big Five openness: practical (0) to curious and inventive (1).', 0.5),
    conscientiousness: Unit('Big Five conscientiousness: flexible (0) to thorough and disciplined (1).', 0.5),
    extraversion: Unit('Big Five extraversion: reserved (0) to outgoing (1).', 0.5),
    agreeableness: Unit('Big Five agreeableness: challenging (0) to accommodating (1).', 0.5),
    neuroticism: Unit('Big Five neuroticism: calm and confident (0) to anxious and cautious (1).', 0.5),
    formality: Unit('Casual (0) to formal (1).', 0.5),
    enthusiasm: Unit('Reserved (0) to enthusiastic (1).', 0.5),
  },
  { default: {}, description: 'Personality traits, each 0..1.' },
);

export type Personality = Static<typeof PersonalitySchema>;
