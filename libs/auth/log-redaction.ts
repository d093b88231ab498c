/**
 * pino `redact` paths for request logging: bearer tokens and cookies must never reach a log.
 * `LoggerModule.forRoot({ pinoHttp: { redact: AUTH_LOG_REDACT_PATHS } })`.
 */
export const AUTH_LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];
