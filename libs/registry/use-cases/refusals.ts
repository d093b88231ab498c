import { BadRequestException, ConflictException, ForbiddenException, HttpException } from '@nestjs/common';
import type { Outcome } from '../domain/lifecycle';

/**
 * The value of an allowed transition, or the HTTP answer for a refused one: 409 when the current state
 * does not allow it, 403 when four eyes forbid this person, 400 when the request is incomplete.
 */
export function allowed<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw refusalException(outcome);
}

export function refusalException(refusal: Extract<Outcome<unknown>, { ok: false }>): HttpException {
  switch (refusal.refusal) {
    case 'four-eyes':
      return new ForbiddenException(refusal.reason);
    case 'input':
      return new BadRequestException(refusal.reason);
    case 'state':
      return new ConflictException(refusal.reason);
  }
}

/** Postgres unique_violation: a concurrent request created the same row first. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code === '23505' ||
    (error as { code?: unknown }).code === '23505'
  );
}
