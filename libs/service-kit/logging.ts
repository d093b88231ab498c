import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@personae/config';
import { piiLogRedaction } from '@personae/pii';
import { acceptCorrelationId } from './correlation';

const HEADER = 'x-correlation-id';

/** The request's correlation id, fixed on first read so every middleware agrees on it. */
export function correlationIdOf(request: IncomingMessage): string {
  const id = acceptCorrelationId(request.headers[HEADER]);
  request.headers[HEADER] = id;
  return id;
}

/** JSON logs with correlation ids; credentials are redacted before anything is written. */
export function loggerParams(config: AppConfig, service: string): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Personal data in any log line (messages and fields) is masked before it is written.
      ...piiLogRedaction(),
      base: { service },
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const id = correlationIdOf(request);
        response.setHeader(HEADER, id);
        return id;
      },
      customAttributeKeys: { reqId: 'correlationId' },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      // Health probes and scrapes every few seconds would drown the useful lines; when silent, log
      // nothing and spare every request the work of building a line no one writes.
      autoLogging:
        config.logLevel === 'silent'
          ? false
          : { ignore: (request) => /^\/(health|metrics)/.test(request.url ?? '') },
      serializers: {
        req: (request: { method: string; url: string; headers: Record<string, unknown> }) => ({
          method: request.method,
          url: request.url,
          headers: request.headers,
        }),
      },
    },
  };
}
