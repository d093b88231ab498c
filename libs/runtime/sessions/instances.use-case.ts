import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { newEvent, uuidv7 } from '@personae/contracts';
import { EventPublisher, toOutgoingRecord } from '@personae/messaging';
import { currentCorrelationId } from '@personae/service-kit';
import type { EntityManager } from 'typeorm';
import { BoundedMap } from '@personae/service-kit';
import { PersonaResolver } from '../personas/persona-resolver';
import type { VerifiedPersona } from '../personas/verified-persona';
import type { InstanceRow, SessionRow } from '../store/instance.rows';
import { RuntimeStore } from '../store/runtime.store';

export type MemoryChoice = 'carry' | 'reset';

/** Instances whose last-seen persona this process keeps, so that a swap needs no read first. */
const LAST_SEEN_LIMIT = 10_000;

/** Sessions and instances: create, read, terminate, swap. Every change commits with its runtime.swaps event. */
@Injectable()
export class Instances {
  /**
   * The instance as this process last read or wrote it (tenant/id → row). Only an expectation: the
   * swap's compare-and-set checks ref, digest and epoch in the database, so a stale entry (another
   * replica swapped or terminated it) makes the swap read the instance and try again, never wins.
   */
  private readonly lastSeen = new BoundedMap<string, InstanceRow>(LAST_SEEN_LIMIT);

  constructor(
    private readonly store: RuntimeStore,
    private readonly resolver: PersonaResolver,
    private readonly publisher: EventPublisher,
  ) {}

  createSession(principal: Principal, label: string): Promise<SessionRow> {
    return this.store.dataSource.transaction((manager) =>
      this.store.createSession(manager, {
        id: uuidv7(),
        tenantId: principal.tenantId,
        label,
        createdBy: principal.subject,
      }),
    );
  }

  async session(principal: Principal, id: string): Promise<SessionRow> {
    const session = await this.store.session(principal.tenantId, id);
    if (!session) throw new NotFoundException(`no session ${id}`);
    return session;
  }

  /** Resolves and verifies the ref first: nothing is written for a persona that does not verify. */
  async create(
    principal: Principal,
    token: string,
    input: { ref: string; sessionId?: string; context?: string },
  ): Promise<InstanceRow> {
    if (input.sessionId) await this.session(principal, input.sessionId);
    const persona = await this.resolver.resolve({ tenantId: principal.tenantId, token }, input.ref);
    const created = await this.store.dataSource.transaction(async (manager) => {
      const instance = await this.store.createInstance(manager, {
        id: uuidv7(),
        tenantId: principal.tenantId,
        sessionId: input.sessionId ?? null,
        ref: input.ref,
        personaName: persona.name,
        version: persona.version,
        digest: persona.digest,
        context: input.context ?? '',
        createdBy: principal.subject,
      });
      await this.publish(manager, principal, instance, persona.ref, {
        case: 'created',
        value: { instanceId: instance.id, personaRef: persona.ref, packSha256: persona.digest },
      });
      return instance;
    });
    this.remember(created);
    return created;
  }

  async get(principal: Principal, id: string): Promise<InstanceRow> {
    const instance = await this.store.instance(principal.tenantId, id);
    if (!instance) throw new NotFoundException(`no instance ${id}`);
    this.remember(instance);
    return instance;
  }

  list(
    principal: Principal,
    filter: { sessionId?: string; status?: 'active' | 'terminated'; limit: number; offset: number },
  ) {
    return this.store.instances(principal.tenantId, filter);
  }

  async terminate(principal: Principal, id: string, reason: string): Promise<InstanceRow> {
    return this.store.dataSource.transaction(async (manager) => {
      const instance = await this.store.instance(principal.tenantId, id, manager, true);
      if (!instance) throw new NotFoundException(`no instance ${id}`);
      this.lastSeen.delete(lastSeenKey(principal.tenantId, id));
      if (instance.status === 'terminated') return instance;
      await this.store.terminate(manager, principal.tenantId, id, reason);
      await this.publish(manager, principal, instance, `${instance.personaName}.v${instance.version}`, {
        case: 'terminated',
        value: { instanceId: id, reason },
      });
      return { ...instance, status: 'terminated', terminatedReason: reason };
    });
  }

  /**
   * Swaps the instance's persona for another verified one. The session goes on; memory is carried
   * (conversation turns kept; the old persona's tool turns are never replayed) or reset (new epoch,
   * empty state). The old persona's tools and knowledge are out of reach from the next request on,
   * because both come from the instance's current pack only.
   */
  async swap(
    principal: Principal,
    token: string,
    id: string,
    to: string,
    memory: MemoryChoice,
  ): Promise<{ instance: InstanceRow; from: string; to: VerifiedPersona; swapId: string }> {
    const persona = await this.resolver.resolve({ tenantId: principal.tenantId, token }, to);
    return this.swapTo(principal, id, to, persona, memory);
  }

  /**
   * The swap once the target is verified (the bench's warm path): the instance as the caller just
   * read it, or as this process last saw it, else read; then one compare-and-set statement that
   * returns the instance as it now is. A change made meanwhile (here or by another replica) fails
   * the compare: the instance is read again and the swap retried.
   */
  async swapTo(
    principal: Principal,
    id: string,
    to: string,
    persona: VerifiedPersona,
    memory: MemoryChoice,
    known?: InstanceRow,
  ): Promise<{ instance: InstanceRow; from: string; to: VerifiedPersona; swapId: string }> {
    const key = lastSeenKey(principal.tenantId, id);
    let instance = known ?? this.lastSeen.get(key);
    let read = known !== undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (!instance) {
        instance = await this.store.instance(principal.tenantId, id);
        read = true;
      }
      if (!instance) throw new NotFoundException(`no instance ${id}`);
      if (instance.status !== 'active') throw new ConflictException(`instance ${id} is terminated`);
      const from = `${instance.personaName}.v${instance.version}`;
      if (instance.digest === persona.digest && instance.ref === to && memory === 'carry') {
        // Already there (e.g. two requests noticed the same channel move): nothing to record. Only
        // a row just read says so; a remembered one may be stale.
        if (read) return { instance, from, to: persona, swapId: '' };
        instance = undefined;
        continue;
      }
      const swapId = uuidv7();
      const event = newEvent({
        topic: 'runtime.swaps',
        key: instance.id,
        tenantId: principal.tenantId,
        actor: { kind: 'orchestrator', id: principal.subject },
        personaRef: persona.ref,
        sessionId: instance.sessionId ?? '',
        correlationId: currentCorrelationId(),
        payload: {
          event: {
            case: 'swapped',
            value: {
              instanceId: id,
              fromRef: from,
              fromSha256: instance.digest,
              toRef: persona.ref,
              toSha256: persona.digest,
              memory: memory === 'reset' ? 'reset' : 'carried',
            },
          },
        },
      });
      const swapped = await this.store.swap(
        {
          tenantId: principal.tenantId,
          id,
          ref: to,
          personaName: persona.name,
          version: persona.version,
          digest: persona.digest,
          reset: memory === 'reset',
          swapId,
          from: { ref: from, digest: instance.digest },
          expected: { ref: instance.ref, digest: instance.digest, memoryEpoch: instance.memoryEpoch },
          by: principal.subject,
        },
        toOutgoingRecord(event),
      );
      if (swapped) {
        this.remember(swapped);
        return { instance: swapped, from, to: persona, swapId };
      }
      this.lastSeen.delete(key);
      instance = undefined; // changed meanwhile: read it again
    }
    throw new ConflictException(`instance ${id} kept changing; the swap was not made`);
  }

  private remember(instance: InstanceRow): void {
    const key = lastSeenKey(instance.tenantId, instance.id);
    if (instance.status === 'active') this.lastSeen.set(key, instance);
    else this.lastSeen.delete(key);
  }

  async memory(principal: Principal, id: string, limit: number) {
    const instance = await this.get(principal, id);
    return {
      instanceId: id,
      epoch: instance.memoryEpoch,
      state: instance.state,
      messages: await this.store.memory(principal.tenantId, id, limit),
    };
  }

  async setState(principal: Principal, id: string, state: Record<string, unknown>): Promise<InstanceRow> {
    return this.store.dataSource.transaction(async (manager) => {
      const instance = await this.store.instance(principal.tenantId, id, manager, true);
      if (!instance) throw new NotFoundException(`no instance ${id}`);
      if (instance.status !== 'active') throw new ConflictException(`instance ${id} is terminated`);
      await this.store.setState(manager, principal.tenantId, id, state);
      return { ...instance, state };
    });
  }

  private async publish(
    manager: EntityManager,
    principal: Principal,
    instance: InstanceRow,
    personaRef: string,
    event:
      | { case: 'created'; value: { instanceId: string; personaRef: string; packSha256: string } }
      | {
          case: 'swapped';
          value: {
            instanceId: string;
            fromRef: string;
            fromSha256: string;
            toRef: string;
            toSha256: string;
            memory: string;
          };
        }
      | { case: 'terminated'; value: { instanceId: string; reason: string } },
  ): Promise<void> {
    await this.publisher.publish(manager, {
      topic: 'runtime.swaps',
      key: instance.id,
      tenantId: principal.tenantId,
      actor: { kind: 'orchestrator', id: principal.subject },
      personaRef,
      sessionId: instance.sessionId ?? '',
      correlationId: currentCorrelationId(),
      payload: { event },
    });
  }
}

function lastSeenKey(tenantId: string, id: string): string {
  return `${tenantId}/${id}`;
}
