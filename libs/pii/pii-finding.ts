import type { PiiType } from '@personae/pack';

export type { PiiType };

/**
 * One piece of personal data found in a text: its kind and where it is (UTF-16 offsets, end
 * exclusive). Never the matched text, so findings can be logged, stored and sent in events.
 */
export interface PiiFinding {
  type: PiiType;
  /** The precise kind, e.g. `iban`, `us_ssn`, `jwt`, `ipv6`, `pem_private_key`. */
  subtype: string;
  start: number;
  end: number;
}

/** Types this library detects; `passport` only in context, `health` not at all (see README). */
export const SUPPORTED_PII_TYPES: readonly PiiType[] = [
  'email',
  'phone',
  'person_name',
  'postal_address',
  'date_of_birth',
  'national_id',
  'passport',
  'credit_card',
  'bank_account',
  'ip_address',
  'credentials',
];
