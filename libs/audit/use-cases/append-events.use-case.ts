import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { toJson } from '@bufbuild/protobuf';
import { TOPIC_SCHEMAS, type EventEnvelope } from '@personae/contracts';
import { GENESIS_HASH } from '@personae/crypto';
import { Coalescer } from '@personae/messaging';
import { buildEntry, canonicalEntry, withoutNul, type EntryInput } from '../domain/ledger-entry';
import { sealPii } from '../domain/pii-fields';
import { sealWith } from '../domain/pii-seal';
import { PiiDataKeys } from '../keys/pii-data-keys';
import { LedgerRepository, type NewEntryRow, type VaultRow } from '../store/ledger.repository';

/** An event made ready for the ledger outside the lock: payload sealed, PII encrypted. */
interface Prepared {
  input: EntryInput;
  vault: VaultRow | undefined;
}

const GENESIS = Buffer.from(GENESIS_HASH, 'hex');
/** Events per transaction; one commit serves them all (group commit). */
const MAX_BATCH = 2000;
/**
 * Events of consumed batches prepared but not yet committed: enough for the next flush to be ready
 * when the current one commits. More would only pile up waiting (a backlog replay fetches every
 * partition at once) and outlive the young generation, which made garbage collection the main cost.
 */
const MAX_IN_FLIGHT = 2 * MAX_BATCH;
/** Events prepared between yields to the event loop in bulk appends. */
const PREPARE_SLICE = 100;

export const piiContext = (tenantId: string, eventId: string): string => `audit-pii:${tenantId}:${eventId}`;

/**
 * How the consumer's appends commit. `durable`: every flush waits for its WAL flush. `wal-ordered`
 * (synchronous_commit off), sound only when the consumer's offsets live in the same Postgres as the
 * ledger, i.e. the Postgres event log: the offset commit for an event is issued after its ledger
 * commit returned, so it sits later in the one WAL, and a crash that loses the ledger write (an
 * unflushed WAL tail) loses that offset too; the event is delivered again and appended again. Signed
 * checkpoints always commit durably, which flushes every entry they cover first.
 */
export type IngestDurability = 'durable' | 'wal-ordered';

/**
 * Appends events to their tenants' chains, idempotent on event id. Concurrent calls (one per
 * partition the consumer works on) are folded into one transaction per flush: each tenant's chain
 * head row is locked, already-recorded ids are dropped, positions and hashes computed here, the
 * rows inserted with one statement, the head moved. The call resolves once its event is committed.
 */
@Injectable()
export class AppendEvents {
  private readonly batches = new Coalescer<Prepared, void>(
    (batch) => this.flush(batch, this.durability),
    MAX_BATCH,
  );
  private durability: IngestDurability = 'durable';
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly dataKeys: PiiDataKeys,
  ) {}

  /** Set once at start from the transport (see IngestDurability). */
  useDurability(durability: IngestDurability): void {
    this.durability = durability;
  }

  /** One consumed event; resolves when it is committed (as `useDurability` says). */
  async execute(event: EventEnvelope): Promise<void> {
    await this.batches.submit(await this.prepare(event));
  }

  /**
   * A consumed batch (one topic partition, in order); resolves when all of it is committed. Batches
   * of concurrent partitions are folded into one transaction per flush, as single events are.
   */
  async executeBatch(events: readonly EventEnvelope[]): Promise<void> {
    while (this.inFlight > 0 && this.inFlight + events.length > MAX_IN_FLIGHT)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight += events.length;
    try {
      const prepared = await Promise.all(events.map((event) => this.prepare(event)));
      await Promise.all(prepared.map((item) => this.batches.submit(item)));
    } finally {
      this.inFlight -= events.length;
      const woken = this.waiting;
      this.waiting = [];
      for (const wake of woken) wake();
    }
  }

  /** Many events at once (replays, the benchmark): same path, no coalescing wait, always durable. */
  async executeMany(events: readonly EventEnvelope[]): Promise<void> {
    // Node prepares the next chunk while Postgres inserts this one: in slices, yielding between
    // them, so the flush's statements go out as soon as the previous one answers.
    const prepare = async (from: number): Promise<Prepared[]> => {
      const prepared: Prepared[] = [];
      for (let at = from; at < Math.min(from + MAX_BATCH, events.length); at += PREPARE_SLICE) {
        const slice = events.slice(at, Math.min(at + PREPARE_SLICE, from + MAX_BATCH));
        prepared.push(...(await Promise.all(slice.map((event) => this.prepare(event)))));
        await new Promise((resolve) => setImmediate(resolve));
      }
      return prepared;
    };
    let chunk = events.length > 0 ? await prepare(0) : undefined;
    for (let i = 0; chunk; i += MAX_BATCH) {
      const flushing = this.flush(chunk, 'durable');
      const next = i + MAX_BATCH < events.length ? prepare(i + MAX_BATCH) : undefined;
      // A failed flush leaves the next chunk unawaited: settle it quietly.
      next?.catch(() => undefined);
      await flushing;
      chunk = await next;
    }
  }

  private async prepare(event: EventEnvelope): Promise<Prepared> {
    const json = withoutNul(toJson(TOPIC_SCHEMAS[event.topic], event.payload as never)) as Record<
      string,
      unknown
    >;
    const { payload, fields } = sealPii(event.type, json);
    const input: EntryInput = {
      tenantId: event.tenantId,
      eventId: event.id,
      topic: event.topic,
      type: event.type,
      occurredAt: event.occurredAt,
      actor: { kind: event.actor.kind, id: event.actor.id },
      personaRef: event.personaRef,
      sessionId: event.sessionId,
      correlationId: event.correlationId,
      causationId: event.causationId,
      key: event.key,
      payload,
    };
    let vault: VaultRow | undefined;
    if (Object.keys(fields).length > 0) {
      const dataKey = await this.dataKeys.forSealing(event.tenantId);
      vault = {
        eventId: event.id,
        tenantId: event.tenantId,
        dataKeyId: dataKey.keyId,
        sealed: sealWith(
          dataKey.key,
          piiContext(event.tenantId, event.id),
          Buffer.from(JSON.stringify(fields), 'utf8'),
        ),
      };
    }
    return { input, vault };
  }

  private async flush(batch: Prepared[], durability: IngestDurability): Promise<void[]> {
    const byTenant = new Map<string, Prepared[]>();
    for (const item of batch) {
      const list = byTenant.get(item.input.tenantId) ?? [];
      list.push(item);
      byTenant.set(item.input.tenantId, list);
    }
    await this.ledger.dataSource.transaction(async (manager) => {
      // Heads locked in tenant order, so two flushing processes cannot deadlock.
      for (const tenantId of [...byTenant.keys()].sort()) {
        const items = byTenant.get(tenantId)!;
        const { head, known } = await this.ledger.lockHead(
          manager,
          tenantId,
          items.map((item) => item.input.eventId),
          durability === 'wal-ordered' ? 'off' : 'on',
          GENESIS,
        );
        // Never before the head's: recorded time orders like positions even across processes' clocks.
        const now = new Date(Math.max(Date.now(), head.lastRecordedMs));
        const rows: NewEntryRow[] = [];
        const vault: VaultRow[] = [];
        let prev = head.headHash;
        let position = head.nextPosition;
        for (const item of items) {
          if (known.has(item.input.eventId)) continue;
          known.add(item.input.eventId); // the same event twice in one batch
          const entry = canonicalEntry(buildEntry(item.input, position, now));
          const hash = createHash('sha256').update(prev).update(entry, 'utf8').digest();
          rows.push({ entry, hash });
          if (item.vault) vault.push(item.vault);
          prev = hash;
          position++;
        }
        if (rows.length === 0) continue;
        await this.ledger.append(manager, tenantId, rows, vault, {
          nextPosition: position,
          headHash: prev,
          lastRecordedMs: now.getTime(),
        });
      }
    });
    return batch.map(() => undefined);
  }
}
