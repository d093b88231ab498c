import {
  CapabilitiesSchema,
  FewShotExampleSchema,
  KnowledgeRefSchema,
  ModelPreferencesSchema,
  PACK_API_VERSION,
  PACK_KIND,
  PackMetadataSchema,
  PackValidationError,
  PolicyHooksSchema,
  PromptCoreSchema,
  ToolSpecSchema,
  ValidationTestSchema,
  VoiceSchema,
  joinPointer,
  validatePack,
  type AuditLevel,
  type Capability,
  type FewShotExample,
  type KnowledgeRef,
  type PersonaPack,
  type Personality,
  type PiiRedaction,
  type ResponseStyle,
  type Voice,
} from '@personae/pack';
import {
  PartialPersonality,
  PartialPiiRedaction,
  PartialStyle,
  assertRegex,
  check,
  given,
  mergeActions,
  modelProfile,
} from './builder-checks';
import {
  emptyDraft,
  type Draft,
  type Many,
  type ModelInput,
  type ToolInput,
  type ValidationTestInput,
} from './builder-draft';

export type { ModelInput, ToolInput, ValidationTestInput } from './builder-draft';

const metadata = PackMetadataSchema.properties;
const prompt = PromptCoreSchema.properties;
const policy = PolicyHooksSchema.properties;
const models = ModelPreferencesSchema.properties;

/**
 * Fluent, immutable builder of persona packs: every method returns a new builder, so a half-built
 * persona can be shared and specialised. Each method checks its own argument at once (errors carry
 * the pointer the value will have in the pack); build() validates the whole pack.
 *
 *   new PersonaBuilder('code-reviewer').withName('Code Reviewer').withSystemPrompt('…').build()
 */
export class PersonaBuilder {
  private draft: Draft;

  constructor(name: string) {
    this.draft = emptyDraft(check(metadata.name, name, '/metadata/name'));
  }

  /** Starts from an existing pack, e.g. to fork or adjust a template. */
  static from(pack: PersonaPack): PersonaBuilder {
    const { metadata: meta, spec } = validatePack(pack);
    return new PersonaBuilder(meta.name).next((draft) => {
      Object.assign(draft, structuredClone({ ...spec, metadata: meta }));
    });
  }

  // identity
  withName(displayName: string): PersonaBuilder {
    return this.setMetadata('displayName', displayName);
  }
  withDescription(description: string): PersonaBuilder {
    return this.setMetadata('description', description);
  }
  withCategory(category: string): PersonaBuilder {
    return this.setMetadata('category', category);
  }
  withTags(...tags: Many<string>): PersonaBuilder {
    return this.setMetadata('tags', tags.flat());
  }
  withAvatar(avatar: string): PersonaBuilder {
    return this.setMetadata('avatar', avatar);
  }
  /** Records the sealed version this persona was forked from, e.g. `code-reviewer.v3`. */
  forkedFrom(ref: string): PersonaBuilder {
    return this.setMetadata('forkedFrom', ref);
  }

  // prompt core
  withSystemPrompt(system: string): PersonaBuilder {
    return this.setPrompt('system', system);
  }
  withTone(tone: string): PersonaBuilder {
    return this.setPrompt('tone', tone);
  }
  withVocabulary(vocabulary: { preferred?: string[]; avoided?: string[] }): PersonaBuilder {
    return this.setPrompt('vocabulary', vocabulary);
  }
  withSafetyBoundaries(...rules: Many<string>): PersonaBuilder {
    return this.setPrompt('safetyBoundaries', rules.flat());
  }
  withStarterPrompts(...prompts: Many<string>): PersonaBuilder {
    return this.setPrompt('starterPrompts', prompts.flat());
  }
  withExamples(...examples: Many<FewShotExample>): PersonaBuilder {
    const list = examples.flat();
    list.forEach((example, i) =>
      check(FewShotExampleSchema, example, joinPointer('/spec/prompt/examples', i)),
    );
    return this.setPrompt('examples', list);
  }

  // character
  /** Sets the given traits (0..1), keeping the others. */
  withPersonality(traits: Partial<Personality>): PersonaBuilder {
    const checked = given(check(PartialPersonality, traits, '/spec/personality'), traits);
    return this.next((draft) => Object.assign(draft.personality, checked));
  }
  /** Sets the given style settings, keeping the others. */
  withStyle(style: Partial<ResponseStyle>): PersonaBuilder {
    const checked = given(check(PartialStyle, style, '/spec/style'), style);
    return this.next((draft) => Object.assign(draft.style, checked));
  }
  withCapabilities(...capabilities: Many<Capability>): PersonaBuilder {
    const list = check(CapabilitiesSchema, capabilities.flat(), '/spec/capabilities');
    return this.next((draft) => (draft.capabilities = list));
  }

  // tools and knowledge
  /** Adds a tool; names must be unique. */
  withTool(tool: ToolInput): PersonaBuilder {
    const pointer = joinPointer('/spec/tools', this.draft.tools.length);
    const spec = check(ToolSpecSchema, tool, pointer);
    if (this.draft.tools.some((existing) => existing.name === spec.name))
      throw PackValidationError.single(`${pointer}/name`, `a tool named "${spec.name}" was already added`);
    return this.next((draft) => draft.tools.push(spec));
  }
  /** Adds a knowledge snapshot reference; snapshots must be unique. */
  withKnowledge(ref: KnowledgeRef): PersonaBuilder {
    const pointer = joinPointer('/spec/knowledge', this.draft.knowledge.length);
    const checked = check(KnowledgeRefSchema, ref, pointer);
    if (this.draft.knowledge.some((existing) => existing.snapshot === checked.snapshot))
      throw PackValidationError.single(
        `${pointer}/snapshot`,
        `snapshot "${checked.snapshot}" was already added`,
      );
    return this.next((draft) => draft.knowledge.push(checked));
  }

  // models and budget
  withModel(model: ModelInput): PersonaBuilder {
    const profile = modelProfile(model, '/spec/models/primary');
    return this.next((draft) => (draft.models.primary = profile));
  }
  withPreSlm(model: ModelInput): PersonaBuilder {
    const profile = modelProfile(model, '/spec/models/preSlm');
    return this.next((draft) => (draft.models.preSlm = profile));
  }
  withFallbackModels(...fallback: Many<ModelInput>): PersonaBuilder {
    const profiles = fallback
      .flat()
      .map((model, i) => modelProfile(model, joinPointer('/spec/models/fallback', i)));
    return this.next((draft) => (draft.models.fallback = profiles));
  }
  /** Spending limits in USD: per request, and optionally per day (which must not be lower). */
  withMaxCost(perRequest: number, perDay?: number): PersonaBuilder {
    const budget = check(
      models.budget,
      perDay === undefined
        ? { maxCostPerRequest: perRequest }
        : { maxCostPerRequest: perRequest, maxCostPerDay: perDay },
      '/spec/models/budget',
    );
    if (perDay !== undefined && perRequest > perDay)
      throw PackValidationError.single(
        '/spec/models/budget/maxCostPerRequest',
        `must be ≤ maxCostPerDay (${perDay})`,
      );
    return this.next((draft) => (draft.models.budget = budget));
  }

  // policy hooks
  /** Adds allowed actions (`web.search`, `web.*`); an action may not also be blocked. */
  allowActions(...actions: Many<string>): PersonaBuilder {
    return this.addActions('allowedActions', actions.flat());
  }
  /** Adds blocked actions (`payments.*`); blocking wins over allowing, so overlaps are refused. */
  blockActions(...actions: Many<string>): PersonaBuilder {
    return this.addActions('blockedActions', actions.flat());
  }
  withPiiRedaction(setting: boolean | Partial<PiiRedaction>): PersonaBuilder {
    const input = typeof setting === 'boolean' ? { enabled: setting } : setting;
    const checked = given(check(PartialPiiRedaction, input, '/spec/policy/piiRedaction'), input);
    return this.next(
      (draft) => (draft.policy.piiRedaction = { ...(draft.policy.piiRedaction as object), ...checked }),
    );
  }
  requireApprovals(count: number): PersonaBuilder {
    return this.setPolicy('requiredApprovals', count);
  }
  withAuditLevel(level: AuditLevel): PersonaBuilder {
    return this.setPolicy('audit', { level });
  }
  withEscalationChannels(...channels: Many<string>): PersonaBuilder {
    return this.setPolicy('escalation', { channels: channels.flat() });
  }
  withGovernancePolicy(ref: string): PersonaBuilder {
    return this.setPolicy('governancePolicy', ref);
  }

  // voice and validation
  withVoice(
    voice: Omit<Voice, 'speakingRate' | 'pitch'> & Partial<Pick<Voice, 'speakingRate' | 'pitch'>>,
  ): PersonaBuilder {
    const checked = check(VoiceSchema, voice, '/spec/voice');
    return this.next((draft) => (draft.voice = checked));
  }
  /** Adds a behavioural test; names must be unique, and `matches` must be a valid regex. */
  withValidationTest(test: ValidationTestInput): PersonaBuilder {
    const pointer = joinPointer('/spec/validation', this.draft.validation.length);
    const checked = check(ValidationTestSchema, test, pointer);
    if (this.draft.validation.some((existing) => existing.name === checked.name))
      throw PackValidationError.single(`${pointer}/name`, `a test named "${checked.name}" was already added`);
    if (checked.expect.matches !== undefined)
      assertRegex(checked.expect.matches, `${pointer}/expect/matches`);
    return this.next((draft) => draft.validation.push(checked));
  }

  /** Validates the whole pack (schema and cross-field rules) and returns it normalized. */
  build(): PersonaPack {
    const { metadata: meta, voice, ...spec } = this.draft;
    return validatePack({
      apiVersion: PACK_API_VERSION,
      kind: PACK_KIND,
      metadata: meta,
      spec: { ...spec, ...(voice ? { voice } : {}) },
    });
  }

  private next(mutate: (draft: Draft) => void): PersonaBuilder {
    const copy = Object.create(PersonaBuilder.prototype) as PersonaBuilder;
    copy.draft = structuredClone(this.draft);
    mutate(copy.draft);
    return copy;
  }

  private setMetadata(field: keyof typeof metadata, value: unknown): PersonaBuilder {
    const checked = check(metadata[field], value, joinPointer('/metadata', field));
    return this.next((draft) => (draft.metadata[field] = checked));
  }

  private setPrompt(field: keyof typeof prompt, value: unknown): PersonaBuilder {
    const checked = check(prompt[field], value, joinPointer('/spec/prompt', field));
    return this.next((draft) => (draft.prompt[field] = checked));
  }

  private setPolicy(field: keyof typeof policy, value: unknown): PersonaBuilder {
    const checked = check(policy[field], value, joinPointer('/spec/policy', field));
    return this.next((draft) => ((draft.policy as Record<string, unknown>)[field] = checked));
  }

  private addActions(field: 'allowedActions' | 'blockedActions', actions: string[]): PersonaBuilder {
    const merged = mergeActions(this.draft.policy, field, actions, joinPointer('/spec/policy', field));
    return this.next((draft) => (draft.policy[field] = merged));
  }
}
