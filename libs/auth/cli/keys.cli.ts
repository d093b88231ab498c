import 'reflect-metadata';
import { userInfo } from 'node:os';
import { ConfigError, loadConfig, type AppConfig } from '@personae/config';
import { openDatabase, openServiceDataSource, type DatabaseLocation } from '@personae/persistence';
import { ApiKeyService, type ApiKeyView } from '../keys/api-key.service';
import { AUTH_DATABASE } from '../store/auth-schema';
import {
  explainOpenFailure,
  KEYS_USAGE,
  parseKeysCommand,
  UsageError,
  type KeysCommand,
} from './keys-command';

/**
 * `npm run keys -- mint --role trainer --tenant acme`: manages API keys straight in the
 * database, for the first keys of a new tenant or when no admin key is at hand.
 * Exit codes: 0 done, 1 failed, 2 bad arguments or configuration.
 */
async function main(argv: string[]): Promise<number> {
  let command: KeysCommand;
  try {
    command = parseKeysCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${KEYS_USAGE}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${KEYS_USAGE}\n`);
    return 0;
  }

  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }

  let location: DatabaseLocation;
  try {
    location = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      embeddedPort: config.embeddedPgPort,
    });
  } catch (error) {
    process.stderr.write(`${explainOpenFailure(error, config.databaseUrl === undefined, config.dataDir)}\n`);
    return 1;
  }
  try {
    const dataSource = await openServiceDataSource(location.url, AUTH_DATABASE, 2);
    try {
      return await run(command, new ApiKeyService(dataSource));
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await location.stop();
  }
}

async function run(command: Exclude<KeysCommand, { kind: 'help' }>, keys: ApiKeyService): Promise<number> {
  switch (command.kind) {
    case 'mint': {
      const { key, token } = await keys.mint({
        tenantId: command.tenantId,
        role: command.role,
        label: command.label,
        createdBy: `cli:${userInfo().username}`,
      });
      if (command.json) {
        process.stdout.write(`${JSON.stringify({ key, token })}\n`);
      } else {
        // Details to stderr, the token alone to stdout: `TOKEN=$(... mint ...)` captures just the key.
        process.stderr.write(
          `Minted a ${key.role} key for tenant ${key.tenantId} (id ${key.id}).\nThe token is shown only this once; store it now:\n`,
        );
        process.stdout.write(`${token}\n`);
      }
      return 0;
    }
    case 'list': {
      const list = await keys.list(command.tenantId);
      process.stdout.write(command.json ? `${JSON.stringify(list)}\n` : formatTable(list));
      return 0;
    }
    case 'revoke': {
      const key = await keys.revoke(command.id, command.tenantId, `cli:${userInfo().username}`);
      if (!key) {
        process.stderr.write(`no API key ${command.id} in tenant ${command.tenantId}\n`);
        return 1;
      }
      process.stdout.write(`revoked key ${key.id} (${key.role}, ${key.label}) of tenant ${key.tenantId}\n`);
      return 0;
    }
  }
}

function formatTable(keys: ApiKeyView[]): string {
  if (keys.length === 0) return 'no keys\n';
  const date = (value: Date | null): string =>
    value ? value.toISOString().slice(0, 19).replace('T', ' ') : '-';
  const rows = [
    ['ID', 'ROLE', 'LABEL', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((k) => [k.id, k.role, k.label, date(k.createdAt), date(k.lastUsedAt), date(k.revokedAt)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
