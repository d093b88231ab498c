export * from './capabilities.schema';
export {
  ACTION_PATTERN,
  IDENTIFIER,
  PATTERN_HINTS,
  SHA256_DIGEST,
  SLUG,
  TOOL_NAME,
  VERSIONED_REF,
} from './common.schema';
export * from './knowledge.schema';
export * from './metadata.schema';
export * from './models.schema';
export * from './persona-pack.schema';
export * from './personality.schema';
export * from './policy.schema';
export * from './prompt.schema';
export * from './provenance.schema';
export * from './style.schema';
export * from './tool.schema';
export * from './validation-test.schema';
export * from './voice.schema';
