import type { MemoryMessage } from '../domain/prompt-assembly';

/** A message as the store reads it, with its place in the instance's memory. */
export interface NumberedMessage {
  seq: number;
  message: MemoryMessage;
}

interface Entry {
  epoch: number;
  /** Oldest first, at most `limit`; the last one has the highest seq read so far. */
  messages: NumberedMessage[];
  chars: number;
}

/**
 * The recent memory of instances this process executed, so an execution reads only the messages it
 * has not seen (usually none, or the two its previous execution wrote) instead of the whole history.
 * Sound on every replica because an instance's memory only grows: within an epoch, messages are
 * appended with increasing seq and never changed or removed; a reset starts a new epoch, whose
 * messages are read whole. The caller always reads the instance row itself (tenant, persona, epoch)
 * and the messages after `since()`; the cache only spares re-reading older ones. Bounded by total
 * characters, least recently used out first.
 */
export class HistoryCache {
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(
    /** Most messages kept per instance (what an execution loads at most). */
    private readonly limit: number,
    /** Most characters of content kept over all instances. */
    private readonly maxChars: number,
  ) {}

  /**
   * What to read: the messages of `epoch` from seq `since` on, if the instance is still in that epoch;
   * all of its current epoch's otherwise (epoch -1 when nothing is cached).
   */
  position(instanceId: string): { epoch: number; since: number } {
    const entry = this.entries.get(instanceId);
    const last = entry?.messages[entry.messages.length - 1];
    return entry && last ? { epoch: entry.epoch, since: last.seq + 1 } : { epoch: -1, since: 0 };
  }

  /**
   * The history, oldest first, after reading `fresh` (oldest first): the messages of `epoch` from
   * seq `since` on (0: the whole history, newest `limit`). Remembers it.
   */
  merge(instanceId: string, epoch: number, since: number, fresh: NumberedMessage[]): MemoryMessage[] {
    const entry = this.entries.get(instanceId);
    // A full read (since 0), or one that hit the limit (the newest `limit` of what followed, maybe
    // not adjacent to what is cached), stands alone.
    const adjacent = entry !== undefined && entry.epoch === epoch && since > 0 && fresh.length < this.limit;
    const known = adjacent ? entry.messages : [];
    // Two executions of one instance may read concurrently: never keep a message twice.
    const after = known.length > 0 ? known[known.length - 1]!.seq : -1;
    const messages = [...known, ...fresh.filter((m) => m.seq > after)].slice(-this.limit);
    this.remember(instanceId, { epoch, messages, chars: charsOf(messages) });
    return messages.map((m) => m.message);
  }

  private forget(instanceId: string): void {
    const entry = this.entries.get(instanceId);
    if (!entry) return;
    this.entries.delete(instanceId);
    this.chars -= entry.chars;
  }

  private remember(instanceId: string, entry: Entry): void {
    this.forget(instanceId);
    // A Map iterates in insertion order: re-inserting makes this instance the most recently used.
    this.entries.set(instanceId, entry);
    this.chars += entry.chars;
    for (const [oldest] of this.entries) {
      if (this.chars <= this.maxChars || oldest === instanceId) break;
      this.forget(oldest);
    }
  }
}

function charsOf(messages: NumberedMessage[]): number {
  let chars = 0;
  for (const { message } of messages) chars += message.content.length + 64;
  return chars;
}
