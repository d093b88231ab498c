import type { ValueTransformer } from 'typeorm';

/** Postgres bigint arrives as text; log indexes and sizes stay far below 2^53, so numbers are exact. */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
