import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId } from '../correlation';
import { errorName, type ErrorBody } from './error-body';

/**
 * Turns every failure into the ErrorBody shape. Client errors keep their reason;
 * server errors are logged with their stack and answered without it.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.describe(exception, request);
    body.correlationId = currentCorrelationId();
    if (body.statusCode >= 500) this.logger.error({ err: exception, path: request.path }, 'request failed');
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  private describe(exception: unknown, request: Request): ErrorBody {
    if (!(exception instanceof HttpException)) {
      return {
        statusCode: 500,
        error: errorName(500),
        message: 'internal error; the correlation id identifies it in the logs',
      };
    }
    const status = exception.getStatus();
    const payload = exception.getResponse();
    if (status === 404 && typeof payload === 'object' && isDefaultNotFound(payload)) {
      return {
        statusCode: status,
        error: errorName(status),
        message: `no route ${request.method} ${request.path}`,
      };
    }
    if (typeof payload === 'string')
      return { statusCode: status, error: errorName(status), message: payload };
    const record = payload as { message?: unknown; errors?: ErrorBody['errors'] };
    const message = Array.isArray(record.message)
      ? record.message.join('; ')
      : typeof record.message === 'string'
        ? record.message
        : exception.message;
    return {
      statusCode: status,
      error: errorName(status),
      message,
      ...(record.errors ? { errors: record.errors } : {}),
    };
  }
}

function isDefaultNotFound(payload: object): boolean {
  const message = (payload as { message?: unknown }).message;
  return typeof message === 'string' && message.startsWith('Cannot ');
}
