import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { eventCase, type EventEnvelope } from '@personae/contracts';
import { EventBus, type Subscription } from '@personae/messaging';
import { PersonaResolver } from './persona-resolver';

/**
 * Every runtime process reacts to every persona.lifecycle event (its own consumer group, named
 * after the process), because each holds its own caches: a promotion or rollback evicts the
 * persona's channel resolutions, a revocation marks the version refused in this process at once.
 * The effects are cache evictions, idempotent, so replays and redeliveries are harmless.
 */
@Injectable()
export class LifecycleReactions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('LifecycleReactions');
  readonly group = `runtime-${hostname()
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private subscription?: Subscription;

  constructor(
    private readonly bus: EventBus,
    private readonly resolver: PersonaResolver,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.bus.consume({
      group: this.group,
      handlers: { 'persona.lifecycle': (event) => this.apply(event) },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }

  apply(event: EventEnvelope<'persona.lifecycle'>): Promise<void> {
    const change = event.payload.event;
    switch (change.case) {
      case 'revoked':
        this.resolver.markRevoked(event.tenantId, change.value.personaName, change.value.version);
        this.logger.log(`${change.value.personaName}.v${change.value.version} revoked: refused from now on`);
        break;
      case 'promoted':
      case 'rolledBack':
      case 'deprecated':
      case 'sealed':
        this.resolver.evictPersona(event.tenantId, change.value.personaName);
        break;
      default:
        void eventCase(event);
    }
    return Promise.resolve();
  }
}
