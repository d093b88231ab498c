import { HttpStatus } from '@nestjs/common';

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
