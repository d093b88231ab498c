import { HttpException, HttpStatus } from '@nestjs/common';

/** One shape for every error response: what went wrong, never how the server is built. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** Field-level problems: the JSON path of the field and the reason. */
  errors?: { field: string; reason: string }[];
  correlationId?: string;
}

export function errorName(status: number): string {
  const name = HttpStatus[status];
  if (typeof name !== 'string') return status >= 500 ? 'Internal Server Error' : 'Error';
  return name
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join(' ');
}

/** The ErrorBody of any failure: an HttpException keeps its status and reason, anything else is a 500. */
export function errorBodyOf(exception: unknown, method: string, path: string): ErrorBody {
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
      message: `no route ${method} ${path}`,
    };
  }
  if (typeof payload === 'string') return { statusCode: status, error: errorName(status), message: payload };
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

function isDefaultNotFound(payload: object): boolean {
  const message = (payload as { message?: unknown }).message;
  return typeof message === 'string' && message.startsWith('Cannot ');
}
