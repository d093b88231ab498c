import { Type, type Static } from '@sinclair/typebox';
import { Closed, Enum, JSON_POINTER, List, Text, UUID, VERSIONED_REF } from './common.schema';

export const CHANGE_ORIGINS = ['deterministic', 'llm', 'human'] as const;

export const ProvenanceChangeSchema = Closed(
  {
    path: Type.String({
      pattern: JSON_POINTER,
      maxLength: 500,
      description: 'JSON pointer of the changed field, e.g. `/spec/prompt/safetyBoundaries/2`.',
    }),
    reason: Text(2000, 'Why the field changed, in words a reviewer can check.'),
    events: List(
      Type.String({ pattern: UUID, description: 'An event id.' }),
      200,
      'Ids of the training events that motivated the change.',
      true,
    ),
    origin: Type.Optional(
      Enum(CHANGE_ORIGINS, {
        description: 'Who made the change: a deterministic rule, a model, or a person.',
      }),
    ),
  },
  { description: 'One change and its justification.' },
);

export const ProvenanceSchema = Closed(
  {
    base: Type.Optional(
      Type.String({ pattern: VERSIONED_REF, description: 'The sealed version this draft started from.' }),
    ),
    trainingSessions: List(
      Type.String({ pattern: UUID, description: 'A training session id.' }),
      100,
      'Training sessions this version was synthesized from.',
      true,
    ),
    changes: List(ProvenanceChangeSchema, 1000, 'Changes relative to `base`, each with its evidence.'),
  },
  { description: 'Where this version came from.' },
);

export type ChangeOrigin = (typeof CHANGE_ORIGINS)[number];
export type ProvenanceChange = Static<typeof ProvenanceChangeSchema>;
export type Provenance = Static<typeof ProvenanceSchema>;
