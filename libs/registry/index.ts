export * from './registry.module';
export * from './registry.service';
export { parsePersonaRef, versionRef, channelRef, type PersonaRef } from './domain/persona-ref';
