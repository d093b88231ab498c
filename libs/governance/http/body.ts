import { BadRequestException } from '@nestjs/common';
import type { Static, TSchema } from '@sinclair/typebox';
import { checkBody } from '../domain/typed-body';

/** The body if it fits the schema, else 400 with each problem by JSON pointer. */
export function validBody<T extends TSchema>(schema: T, body: unknown): Static<T> {
  const result = checkBody(schema, body);
  if (result.ok) return result.value;
  const first = result.errors[0];
  throw new BadRequestException({
    message: `invalid request${first ? `: ${first.field}: ${first.reason}` : ''}`,
    errors: result.errors,
  });
}
