import { redactJson, type RedactJsonOptions } from './redact-json';
import { redactPii } from './redact-pii';

type LogMethod = (...args: unknown[]) => void;

export interface PiiLogRedaction {
  /** pino `formatters.log`: redacts the merged object of each record. */
  formatters: { log(object: Record<string, unknown>): Record<string, unknown> };
  /** pino `hooks.logMethod`: redacts the message and interpolation arguments. */
  hooks: { logMethod(this: unknown, args: unknown[], method: LogMethod): void };
}

/**
 * pino options that keep personal data and secrets out of logs:
 * `pino({ ...piiLogRedaction(), redact: AUTH_LOG_REDACT_PATHS })`. Mask mode by default; pino's
 * own `redact` paths still apply first (headers are dropped by path, the rest by content).
 */
export function piiLogRedaction(options: RedactJsonOptions = {}): PiiLogRedaction {
  const redactOptions: RedactJsonOptions = { mode: 'mask', ...options };
  return {
    formatters: {
      log: (object) => redactJson(object, redactOptions).value,
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: LogMethod): void {
        const redacted = args.map((arg) =>
          typeof arg === 'string' ? redactPii(arg, redactOptions).text : arg,
        );
        method.apply(this, redacted);
      },
    },
  };
}
