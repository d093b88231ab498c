import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { currentCorrelationId } from '../correlation';
import { errorBodyOf } from './error-body';

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
    const body = errorBodyOf(exception, request.method, request.path);
    body.correlationId = currentCorrelationId();
    if (body.statusCode >= 500) this.logger.error({ err: exception, path: request.path }, 'request failed');
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}
