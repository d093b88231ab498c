import { randomBytes } from 'node:crypto';
import { newEvent, type EventEnvelope } from '@personae/contracts';

export const databaseUrl = (): string => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is set by the global test setup');
  return url;
};

/** A name no other test (or test file running in parallel) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A conversation turn: `key` is the session (partition key), `seq` its position in the session. */
export function turn(
  key: string,
  seq: number,
  content = `turn ${seq} of ${key}`,
): EventEnvelope<'training.conversation'> {
  return newEvent({
    topic: 'training.conversation',
    key,
    tenantId: 'tenant-test',
    actor: { kind: 'trainer', id: 'trainer-1' },
    sessionId: key,
    payload: { event: { case: 'turn', value: { turnId: `${key}#${seq}`, role: 'trainer', content } } },
  });
}

export function seqOf(event: EventEnvelope<'training.conversation'>): number {
  const turnId = event.payload.event.case === 'turn' ? event.payload.event.value.turnId : '';
  return Number(turnId.split('#')[1]);
}

/** Polls until `check` returns true; fails with `describe()` when it never does. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string | Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
