import { Type, type Static } from '@sinclair/typebox';
import { Closed, List, Text } from './common.schema';

export const FewShotExampleSchema = Closed(
  {
    input: Text(8000, 'What the user says.'),
    output: Text(16000, 'The answer the persona should give.'),
    note: Type.Optional(Text(1000, 'Why this example matters (for reviewers; not sent to the model).')),
  },
  { description: 'A worked example shown to the model.' },
);

export const VocabularySchema = Closed(
  {
    preferred: List(
      Text(200, 'A term or phrasing.'),
      200,
      'Terms and phrasings the persona should use.',
      true,
    ),
    avoided: List(
      Text(200, 'A term or phrasing.'),
      200,
      'Terms and phrasings the persona must not use.',
      true,
    ),
  },
  { default: {}, description: 'Domain vocabulary.' },
);

export const PromptCoreSchema = Closed(
  {
    system: Text(32000, 'The system prompt: who the persona is and how it works.'),
    tone: Type.Optional(
      Text(200, 'Tone of voice in a few words, e.g. "warm, precise, never condescending".'),
    ),
    vocabulary: VocabularySchema,
    safetyBoundaries: List(
      Text(1000, 'One boundary, stated as a rule.'),
      50,
      'Things the persona must never do or must always do, enforced in the prompt and checked by validation tests.',
    ),
    starterPrompts: List(
      Text(300, 'A suggested opening message.'),
      12,
      'Suggested first messages shown to users.',
    ),
    examples: List(FewShotExampleSchema, 50, 'Few-shot examples.'),
  },
  { description: 'The prompt core: instructions, tone, vocabulary, boundaries and examples.' },
);

export type FewShotExample = Static<typeof FewShotExampleSchema>;
export type Vocabulary = Static<typeof VocabularySchema>;
export type PromptCore = Static<typeof PromptCoreSchema>;
