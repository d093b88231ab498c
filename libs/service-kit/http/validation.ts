import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Flattens class-validator's tree into `{ field: 'tools[0].name', reason }` entries. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const reason of Object.values(error.constraints ?? {})) {
      problems.push({
        field,
        // class-validator names forbidden fields "property X should not exist"; say it plainly.
        reason: reason.includes('should not exist') ? 'unknown field' : reason,
      });
    }
    problems.push(...fieldProblems(error.children ?? [], field));
  }
  return problems;
}

export class RequestValidationError extends BadRequestException {
  constructor(readonly problems: FieldProblem[]) {
    super({
      message: `invalid request: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`,
      errors: problems,
    });
  }
}

/** Unknown fields and wrong types are rejected, never silently dropped or coerced. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(fieldProblems(errors)),
  });
}
