export * from './pii-finding';
export * from './detect-pii';
export * from './redact-pii';
export * from './redact-json';
export * from './pseudonym-table';
export * from './pii-log-redaction';
export type { PiiDetector } from './detectors/detector';
export { luhnValid } from './detectors/luhn';
export { ibanChecksumValid } from './detectors/iban.detector';
