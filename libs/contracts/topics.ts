import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { AuditEventSchema } from './generated/personae/v1/audit_pb';
import { DeadLetterEventSchema } from './generated/personae/v1/deadletter_pb';
import { GovernanceEventSchema } from './generated/personae/v1/governance_pb';
import { LifecycleEventSchema } from './generated/personae/v1/lifecycle_pb';
import { ExecutionEventSchema, SwapEventSchema } from './generated/personae/v1/runtime_pb';
import { SynthesisEventSchema } from './generated/personae/v1/synthesis_pb';
import {
  AnnotationEventSchema,
  AttachmentEventSchema,
  ConversationEventSchema,
  ToolEventSchema,
  TrainingSessionEventSchema,
} from './generated/personae/v1/training_pb';

/**
 * Every topic and the payload message it carries. The proto `topic` option is the
 * source of truth; topics.spec.ts fails if this map drifts from it.
 */
export const TOPIC_SCHEMAS = {
  'training.session': TrainingSessionEventSchema,
  'training.conversation': ConversationEventSchema,
  'training.tools': ToolEventSchema,
  'training.annotations': AnnotationEventSchema,
  'training.attachments': AttachmentEventSchema,
  'synthesis.drafts': SynthesisEventSchema,
  'persona.lifecycle': LifecycleEventSchema,
  'governance.decisions': GovernanceEventSchema,
  'runtime.executions': ExecutionEventSchema,
  'runtime.swaps': SwapEventSchema,
  'audit.checkpoints': AuditEventSchema,
  deadletter: DeadLetterEventSchema,
} as const satisfies Record<string, DescMessage>;

export type Topic = keyof typeof TOPIC_SCHEMAS;
export const TOPICS = Object.keys(TOPIC_SCHEMAS) as Topic[];

/** The payload message of a topic, as consumers receive it. */
export type Payload<T extends Topic> = MessageShape<(typeof TOPIC_SCHEMAS)[T]>;
/** What a publisher writes: a plain object shaped like the payload message. */
export type PayloadInit<T extends Topic> = MessageInitShape<(typeof TOPIC_SCHEMAS)[T]>;
/** The oneof case names of a topic's payload, e.g. 'started' | 'closed'. */
export type EventCase<T extends Topic> = NonNullable<Payload<T>['event']['case']>;

export function isTopic(value: string): value is Topic {
  return Object.prototype.hasOwnProperty.call(TOPIC_SCHEMAS, value);
}
