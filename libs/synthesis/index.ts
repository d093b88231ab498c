export * from './synthesis.module';
export * from './synthesis.service';
export {
  synthesizeDraft,
  emptyPack,
  type SynthesisInput,
  type DraftSynthesis,
} from './domain/synthesize-draft';
export type { SessionEvent } from './domain/session-event';
export type { Contradiction, Finding } from './domain/session-timeline';
export { toSessionEvent, TRAINING_TOPICS, type TrainingTopic } from './events/session-event.mapper';
export { RunSynthesis } from './use-cases/run-synthesis.use-case';
export { SYNTHESIS_GROUP } from './events/training-events.consumer';
