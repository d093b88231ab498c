import { Type, type Static } from '@sinclair/typebox';
import { CapabilitiesSchema } from './capabilities.schema';
import { Closed, List } from './common.schema';
import { KnowledgeRefSchema } from './knowledge.schema';
import { PackMetadataSchema } from './metadata.schema';
import { ModelPreferencesSchema } from './models.schema';
import { PersonalitySchema } from './personality.schema';
import { PolicyHooksSchema } from './policy.schema';
import { PromptCoreSchema } from './prompt.schema';
import { ProvenanceSchema } from './provenance.schema';
import { ResponseStyleSchema } from './style.schema';
import { ToolSpecSchema } from './tool.schema';
import { ValidationTestSchema } from './validation-test.schema';
import { VoiceSchema } from './voice.schema';

export const PACK_API_VERSION = 'personae.dev/v1';
export const PACK_KIND = 'PersonaPack';

export const PersonaSpecSchema = Closed(
  {
    prompt: PromptCoreSchema,
    personality: PersonalitySchema,
    style: ResponseStyleSchema,
    capabilities: CapabilitiesSchema,
    tools: List(ToolSpecSchema, 64, 'Tools the persona may call.'),
    knowledge: List(KnowledgeRefSchema, 64, 'Knowledge snapshots the persona retrieves from.'),
    models: ModelPreferencesSchema,
    policy: PolicyHooksSchema,
    voice: Type.Optional(VoiceSchema),
    validation: List(ValidationTestSchema, 100, 'Behavioural tests the persona must pass.'),
  },
  { description: 'Everything the persona is made of.' },
);

/**
 * The one source of truth for the `.persona.yaml` format. Fields with a `default` may be omitted when
 * writing a pack (the published JSON Schema marks them optional); after validation they are present,
 * which is what `PersonaPack` describes.
 */
export const PersonaPackSchema = Closed(
  {
    apiVersion: Type.Literal(PACK_API_VERSION, { description: 'Format version.' }),
    kind: Type.Literal(PACK_KIND, { description: 'Document kind.' }),
    metadata: PackMetadataSchema,
    spec: PersonaSpecSchema,
    provenance: Type.Optional(ProvenanceSchema),
  },
  {
    title: 'Persona pack',
    description: 'A persona pack (`.persona.yaml`): one persona, complete and sealable.',
  },
);

export type PersonaSpec = Static<typeof PersonaSpecSchema>;
export type PersonaPack = Static<typeof PersonaPackSchema>;
