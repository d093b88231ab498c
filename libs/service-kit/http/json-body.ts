import { json, type ErrorRequestHandler, type RequestHandler } from 'express';
import { currentCorrelationId } from '../correlation';
import { errorName, type ErrorBody } from './error-body';

/** Body-parser errors carry these fields (http-errors). */
interface ParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * Strict JSON bodies up to `limit` bytes. A body sent with `Content-Disposition` is a file upload
 * (e.g. a JSON document attached to a training session), left unread for its route to stream.
 */
export function jsonBody(limit: number): RequestHandler {
  return json({
    limit,
    strict: true,
    type: (request) =>
      request.headers['content-disposition'] === undefined &&
      /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? ''),
  });
}

/**
 * Answers body-parser failures right where they happen, in the ErrorBody shape: they occur
 * before routing, so Nest's filters would only see them re-wrapped with the parser's raw text.
 */
export const jsonBodyErrors: ErrorRequestHandler = (error: ParserError, _request, response, next) => {
  const status = error.status ?? 0;
  if (status < 400 || status >= 500) return next(error);
  const message =
    error.type === 'entity.parse.failed'
      ? 'malformed JSON in request body'
      : error.type === 'entity.too.large'
        ? `request body exceeds the limit of ${error.limit} bytes`
        : error.type === 'encoding.unsupported' || error.type === 'charset.unsupported'
          ? 'unsupported body encoding'
          : 'request body could not be read';
  const correlationId = currentCorrelationId();
  const body: ErrorBody = { statusCode: status, error: errorName(status), message, correlationId };
  // Answered before the request logger, which would otherwise echo the id.
  if (correlationId) response.setHeader('x-correlation-id', correlationId);
  response.status(status).json(body);
};
