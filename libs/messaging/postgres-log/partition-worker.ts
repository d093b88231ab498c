import { Logger } from '@nestjs/common';
import type { Topic } from '@personae/contracts';
import { sleep } from '../backoff';
import type { BatchHandler } from '../event-transport.port';
import { WakeSignal } from '../wake-signal';
import type { PartitionIo } from './partition-io';

/**
 * How far past the committed offset a previous owner may have handled events before it
 * died: its in-flight batch, at most one fetch (fetch sizes are capped to this).
 */
export const REDELIVERY_WINDOW = 10_000;

export interface PartitionWorkerOptions {
  io: PartitionIo;
  group: string;
  topic: Topic;
  partition: number;
  handle: BatchHandler;
  /** Fallback when a NOTIFY was missed. */
  pollIntervalMs: number;
}

/**
 * Consumes one partition for one group while this process holds its lease: fetch from
 * the committed offset, hand the batch over, commit, repeat; sleep until NOTIFY or poll.
 */
export class PartitionWorker {
  private readonly wake = new WakeSignal();
  private readonly abort = new AbortController();
  private reloadPosition = false;
  private done?: Promise<void>;
  private readonly logger = new Logger('PartitionWorker');

  constructor(private readonly options: PartitionWorkerOptions) {}

  start(): void {
    this.done = this.run();
  }

  notify(): void {
    this.wake.notify();
  }

  /** After a seek: re-read the committed offset before the next fetch. */
  reload(): void {
    this.reloadPosition = true;
    this.wake.notify();
  }

  /** Lets the batch in hand finish and commit, then stops. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake.notify();
    await this.done;
  }

  private async run(): Promise<void> {
    const { io, group, topic, partition, handle, pollIntervalMs } = this.options;
    const { signal } = this.abort;
    let position: number | undefined;
    // Below this offset a record may already have been handled by this group (a dead
    // owner's uncommitted batch); after a seek, anything may have been.
    let repeatsBelow = 0;
    while (!signal.aborted) {
      try {
        if (position === undefined || this.reloadPosition) {
          const seeked = this.reloadPosition;
          this.reloadPosition = false;
          position = await io.committedOffset(group, topic, partition);
          repeatsBelow = seeked
            ? Number.MAX_SAFE_INTEGER
            : Math.max(repeatsBelow, position + REDELIVERY_WINDOW);
        }
        this.wake.clear();
        const records = await io.fetch(topic, partition, position);
        const last = records.at(-1);
        if (!last) {
          await this.wake.wait(pollIntervalMs, signal);
          continue;
        }
        await handle({
          topic,
          partition,
          records,
          heartbeat: async () => undefined,
          signal,
          mayRepeat: records[0]!.offset < repeatsBelow,
        });
        const next = last.offset + 1;
        // Compare-and-set: if another member or a seek moved the offset, start again from it.
        position = (await io.commit(group, topic, partition, position, next)) ? next : undefined;
      } catch (error) {
        if (signal.aborted) break;
        this.logger.warn(
          `${group} ${topic}/${partition}: ${(error as Error).message}; retrying from the committed offset`,
        );
        position = undefined;
        await sleep(500, signal);
      }
    }
  }
}
