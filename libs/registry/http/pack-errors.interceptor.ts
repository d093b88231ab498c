import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { PackValidationError } from '@personae/pack';
import { catchError, throwError, type Observable } from 'rxjs';

/**
 * An invalid pack is the caller's mistake: 400 with every problem as `{ field: <JSON pointer>, reason }`,
 * the same `errors` shape the global validation pipe uses for request fields.
 */
@Injectable()
export class PackErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => (error instanceof PackValidationError ? packBadRequest(error) : error)),
        ),
      );
  }
}

export function packBadRequest(error: PackValidationError): BadRequestException {
  const errors = error.problems.map(({ pointer, reason }) => ({ field: pointer || '/', reason }));
  const noun = errors.length === 1 ? 'problem' : 'problems';
  const first = errors[0] ? `: ${errors[0].field}: ${errors[0].reason}` : '';
  return new BadRequestException({
    message: `invalid persona pack (${errors.length} ${noun})${first}`,
    errors,
  });
}
