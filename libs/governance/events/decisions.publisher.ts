import { Injectable } from '@nestjs/common';
import type { Principal, Role } from '@personae/auth';
import type { ActorKind, PayloadInit } from '@personae/contracts';
import { EventPublisher } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { EntityManager } from 'typeorm';

export type GovernanceChange = PayloadInit<'governance.decisions'>['event'];

const ACTOR_KIND: Record<Role, ActorKind> = {
  admin: 'admin',
  trainer: 'trainer',
  reviewer: 'reviewer',
  signer: 'signer',
  auditor: 'auditor',
  orchestrator: 'orchestrator',
};

/**
 * Publishes on governance.decisions in the caller's transaction. Keyed by the persona name, so one
 * persona's decisions and approvals stay in order. Payloads carry kinds of personal data, never text.
 */
@Injectable()
export class DecisionsPublisher {
  constructor(private readonly publisher: EventPublisher) {}

  async publish(
    manager: EntityManager,
    principal: Principal,
    subject: { persona: string; sessionId?: string },
    change: GovernanceChange,
  ): Promise<void> {
    await this.publisher.publish(manager, {
      topic: 'governance.decisions',
      key: subject.persona,
      tenantId: principal.tenantId,
      actor: { kind: ACTOR_KIND[principal.role], id: principal.subject },
      personaRef: subject.persona,
      sessionId: subject.sessionId,
      correlationId: currentCorrelationId(),
      payload: { event: change },
    });
  }
}
