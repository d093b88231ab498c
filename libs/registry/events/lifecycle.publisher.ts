import { Injectable } from '@nestjs/common';
import type { Principal, Role } from '@personae/auth';
import type { ActorKind, PayloadInit } from '@personae/contracts';
import { EventPublisher } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { EntityManager } from 'typeorm';

export type LifecycleChange = PayloadInit<'persona.lifecycle'>['event'];

export interface LifecycleSubject {
  /** The persona name: the partition key, so one persona's events stay in order. */
  name: string;
  /** name.vN or name@channel when the change concerns one; the name alone for drafts. */
  personaRef?: string;
  sessionId?: string;
}

const ACTOR_KIND: Record<Role, ActorKind> = {
  admin: 'admin',
  trainer: 'trainer',
  reviewer: 'reviewer',
  signer: 'signer',
  auditor: 'auditor',
  orchestrator: 'orchestrator',
};

/** Publishes a persona.lifecycle event in the transaction of the change it reports. */
@Injectable()
export class LifecyclePublisher {
  constructor(private readonly publisher: EventPublisher) {}

  async publish(
    manager: EntityManager,
    principal: Principal,
    subject: LifecycleSubject,
    change: LifecycleChange,
  ): Promise<void> {
    await this.publisher.publish(manager, {
      topic: 'persona.lifecycle',
      key: subject.name,
      tenantId: principal.tenantId,
      actor: { kind: ACTOR_KIND[principal.role], id: principal.subject },
      personaRef: subject.personaRef ?? subject.name,
      sessionId: subject.sessionId,
      correlationId: currentCorrelationId(),
      payload: { event: change },
    });
  }
}
