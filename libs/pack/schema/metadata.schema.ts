import { Type, type Static } from '@sinclair/typebox';
import {
  AVATAR,
  CATEGORY,
  Closed,
  IDENTIFIER,
  List,
  SLUG,
  TAG,
  TENANT_ID,
  Text,
  VERSIONED_REF,
} from './common.schema';

export const PackMetadataSchema = Closed(
  {
    name: Type.String({
      pattern: SLUG,
      description: 'Stable identifier of the persona (a slug); sealed versions are called `name.vN`.',
      examples: ['biology_researcher'],
    }),
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 999999,
        description: 'Version number, assigned by the registry when the pack is sealed; absent on drafts.',
      }),
    ),
    displayName: Text(100, 'Human-readable name shown in catalogues and chats.'),
    description: Type.String({
      maxLength: 2000,
      default: '',
      description: 'What the persona is for, in a sentence or a short paragraph.',
    }),
    category: Type.String({
      pattern: CATEGORY,
      maxLength: 32,
      default: 'general',
      description: 'Catalogue category, e.g. research, software-engineering, legal, finance, writing, data.',
    }),
    tags: List(Type.String({ pattern: TAG, description: 'A search tag.' }), 20, 'Search tags.', true),
    avatar: Type.Optional(
      Type.String({ pattern: AVATAR, maxLength: 2048, description: 'An https image URL or a short emoji.' }),
    ),
    tenant: Type.Optional(
      Type.String({ pattern: TENANT_ID, description: 'Owning tenant; set by the registry from the caller.' }),
    ),
    createdBy: Type.Optional(
      Type.String({
        pattern: IDENTIFIER,
        maxLength: 200,
        description: 'Principal that created the persona; set by the registry.',
      }),
    ),
    forkedFrom: Type.Optional(
      Type.String({
        pattern: VERSIONED_REF,
        description: 'The sealed version this persona was forked from, e.g. `code-reviewer.v3`.',
      }),
    ),
  },
  { description: 'Identity of the persona.' },
);

export type PackMetadata = Static<typeof PackMetadataSchema>;
