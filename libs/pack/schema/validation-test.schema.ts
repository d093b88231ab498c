import { Type, type Static } from '@sinclair/typebox';
import { Closed, SLUG, Text } from './common.schema';

const Needles = (description: string) =>
  Type.Optional(Type.Array(Text(500, 'A substring.'), { minItems: 1, maxItems: 20, description }));

export const ExpectationSchema = Closed(
  {
    contains: Needles('Every one of these must appear in the answer (case-insensitive).'),
    notContains: Needles('None of these may appear in the answer (case-insensitive).'),
    matches: Type.Optional(
      Text(500, 'A regular expression (JavaScript syntax, case-insensitive) the answer must match.'),
    ),
    refuses: Type.Optional(
      Type.Boolean({ description: 'true: the persona must decline; false: it must not.' }),
    ),
  },
  { minProperties: 1, description: 'What the answer must satisfy; at least one check.' },
);

export const ValidationTestSchema = Closed(
  {
    name: Type.String({ pattern: SLUG, description: 'Test name, unique within the pack.' }),
    input: Text(8000, 'The user message sent to the persona.'),
    expect: ExpectationSchema,
  },
  { description: 'A behavioural test run at review time and before promotion.' },
);

export type Expectation = Static<typeof ExpectationSchema>;
export type ValidationTest = Static<typeof ValidationTestSchema>;
