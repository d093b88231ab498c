import { parseArgs } from 'node:util';
import { isUuid } from '@personae/contracts';
import { isRole, ROLES, type Role } from '../domain/roles';
import { isTenantId } from '../domain/tenant';
import { MAX_LABEL_LENGTH } from '../keys/api-key.service';

export type KeysCommand =
  | { kind: 'mint'; role: Role; tenantId: string; label: string; json: boolean }
  | { kind: 'list'; tenantId: string; json: boolean }
  | { kind: 'revoke'; id: string; tenantId: string }
  | { kind: 'help' };

export const KEYS_USAGE = `Usage: npm run keys -- <command> [options]

Commands:
  mint --role <role> --tenant <tenant> [--label <text>] [--json]
      Mint an API key; prints its token once (only the token goes to stdout).
  list --tenant <tenant> [--json]
      List the tenant's keys (never their secrets).
  revoke <key id> --tenant <tenant>
      Revoke one of the tenant's keys.

Roles: ${ROLES.join(', ')}
Tenants are lowercase slugs (a-z, 0-9, -), e.g. acme.

Database: DATABASE_URL, or else the embedded Postgres under DATA_DIR (the running
platform owns that one: then use its HTTP API, POST /v1/auth/keys, or set DATABASE_URL).`;

/** A bad invocation: the CLI prints the reason and the usage, and exits with code 2. */
export class UsageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UsageError';
  }
}

/** Parses the CLI's arguments (without `node` and the script). Throws UsageError. */
export function parseKeysCommand(argv: string[]): KeysCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...rest] = positionals;
  const tenantId = (): string => {
    if (values.tenant === undefined) throw new UsageError('--tenant is required');
    if (!isTenantId(values.tenant))
      throw new UsageError('--tenant must be a lowercase slug (a-z, 0-9, -; at most 63 characters)');
    return values.tenant;
  };
  const refuse = (names: (keyof typeof values)[]): void => {
    const given = names.filter((name) => values[name] !== undefined);
    if (given.length > 0) throw new UsageError(`${command} does not take --${given.join(', --')}`);
  };

  switch (command) {
    case 'mint': {
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      if (values.role === undefined) throw new UsageError('--role is required');
      if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const label = (values.label ?? `${values.role} key`).trim();
      if (label.length === 0 || label.length > MAX_LABEL_LENGTH)
        throw new UsageError(`--label must be 1 to ${MAX_LABEL_LENGTH} characters`);
      return { kind: 'mint', role: values.role, tenantId: tenantId(), label, json: values.json ?? false };
    }
    case 'list':
      if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
      refuse(['role', 'label']);
      return { kind: 'list', tenantId: tenantId(), json: values.json ?? false };
    case 'revoke': {
      refuse(['role', 'label', 'json']);
      if (rest.length !== 1) throw new UsageError('revoke takes exactly one key id');
      const id = rest[0]!.toLowerCase();
      if (!isUuid(id)) throw new UsageError('the key id must be a UUID (see the id column of "list")');
      return { kind: 'revoke', id, tenantId: tenantId() };
    }
    case undefined:
      throw new UsageError('a command is required');
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      tenant: { type: 'string' },
      label: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Only one process can own embedded Postgres: say so instead of crashing when the platform runs. */
export function explainOpenFailure(error: unknown, embedded: boolean, dataDir: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    embedded &&
    /already using the data directory|lock file .* already exists|could not bind|address already in use/i.test(
      message,
    )
  ) {
    return [
      `The embedded database under ${dataDir} is in use by another process, most likely the running Personae platform.`,
      'Only one process can own embedded Postgres. Either:',
      '  - use the platform\'s HTTP API with an admin key: POST /v1/auth/keys {"role": "...", "label": "..."}',
      '  - stop the platform and run this command again, or',
      '  - set DATABASE_URL to the Postgres server the platform uses.',
    ].join('\n');
  }
  return `could not open the database: ${message}`;
}
