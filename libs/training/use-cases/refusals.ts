import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { TRAINING_LIMITS } from '../domain/limits';
import { canAdd, type Outcome, type Refusal } from '../domain/session-state';
import { findSession, sessionWithEvent, takeSequences, type Db } from '../store/session.store';
import type { SessionRow } from '../store/session.row';

/** The value of an allowed outcome, or its HTTP answer: 409 for the session's state, 400 for input. */
export function allowed<T>(outcome: Outcome<T>, field?: string): T {
  if (outcome.ok) return outcome.value;
  throw refusalException(outcome, field);
}

export function refusalException(refusal: Refusal, field?: string): HttpException {
  switch (refusal.refusal) {
    case 'state':
      return new ConflictException(refusal.reason);
    case 'limit':
      return tooLarge(field ?? 'body', refusal.reason);
    case 'input':
      return field
        ? new BadRequestException({ message: refusal.reason, errors: [{ field, reason: refusal.reason }] })
        : new BadRequestException(refusal.reason);
  }
}

/** 413 naming the field and the limit. */
export function tooLarge(field: string, reason: string): HttpException {
  return new PayloadTooLargeException({ message: `${field}: ${reason}`, errors: [{ field, reason }] });
}

/** 415 naming what is allowed. */
export function unsupportedType(reason: string): HttpException {
  return new HttpException(
    { message: reason, errors: [{ field: 'content-type', reason }] },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

export const sessionNotFound = (id: string): HttpException =>
  new NotFoundException(`training session ${id} not found`);

/** The session if the caller's tenant has it (another tenant's is 404, like an unknown one). */
export async function sessionOf(db: Db, principal: Principal, id: string): Promise<SessionRow> {
  const session = await findSession(db, principal.tenantId, id);
  if (!session) throw sessionNotFound(id);
  return session;
}

/** Checks before slow work (a model call, an upload) that the session can take events at all. */
export async function openSessionOf(db: Db, principal: Principal, id: string): Promise<SessionRow> {
  const session = await sessionOf(db, principal, id);
  allowed(canAdd(id, session.state));
  return session;
}

/**
 * Why a session took no events (the one-statement record matched nothing): unknown or another tenant's
 * (404), closing or closed (409), or full (409). Always throws.
 */
export async function refuseAdding(db: Db, principal: Principal, id: string): Promise<never> {
  const current = await openSessionOf(db, principal, id);
  throw new ConflictException(
    `session ${current.id} reached its limit of ${TRAINING_LIMITS.eventsPerSession} events; close it and start another`,
  );
}

/** The event of the session an annotation or a decision concerns, with the session; 404 for either. */
export async function sessionAndEventOf(
  db: Db,
  principal: Principal,
  sessionId: string,
  eventId: string,
): Promise<{ session: SessionRow; event: { type: string; role?: string } }> {
  const found = await sessionWithEvent(db, principal.tenantId, sessionId, eventId);
  if (!found) throw sessionNotFound(sessionId);
  allowed(canAdd(found.session.id, found.session.state));
  if (!found.event) throw new NotFoundException(`event ${eventId} is not in training session ${sessionId}`);
  return { session: found.session, event: found.event };
}

/**
 * Locks the session and takes `count` sequence numbers for new events; refuses with the reason when
 * the session is unknown (404), not open (409) or full (409). In the caller's transaction.
 */
export async function claimSequences(
  db: Db,
  principal: Principal,
  id: string,
  count: number,
  attachments = 0,
): Promise<{ session: SessionRow; firstSequence: number }> {
  const session = await takeSequences(
    db,
    principal.tenantId,
    id,
    count,
    TRAINING_LIMITS.eventsPerSession,
    attachments,
  );
  if (session) return { session, firstSequence: session.lastSequence - count + 1 };
  return refuseAdding(db, principal, id);
}
