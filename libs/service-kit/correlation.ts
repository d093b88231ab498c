import { AsyncLocalStorage } from 'node:async_hooks';
import { uuidv7 } from '@personae/contracts';

const storage = new AsyncLocalStorage<{ correlationId: string }>();
const ACCEPTABLE = /^[\w.:-]{1,128}$/;

/** A caller's correlation id when it is well-formed, otherwise a new one. */
export function acceptCorrelationId(header: unknown): string {
  return typeof header === 'string' && ACCEPTABLE.test(header) ? header : uuidv7();
}

export function runWithCorrelation<T>(correlationId: string, work: () => T): T {
  return storage.run({ correlationId }, work);
}

/** The correlation id of the request being served, if any: publishers stamp it on events. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
