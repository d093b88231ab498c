import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { verifyExport } from '../domain/verify-export';
import {
  parseTrustedKeys,
  parseVerifyCommand,
  UsageError,
  VERIFY_USAGE,
  type VerifyCommand,
} from './verify-command';

/** `npm run audit:verify -- export.jsonl --public-key ledger.pem`: no database, no network unless a URL is given. */
async function main(argv: string[]): Promise<number> {
  let command: VerifyCommand;
  try {
    const parsed = parseVerifyCommand(argv);
    if (parsed.kind === 'help') {
      process.stdout.write(`${VERIFY_USAGE}\n`);
      return 0;
    }
    command = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${VERIFY_USAGE}\n`);
    return 2;
  }
  if (!existsSync(command.file)) {
    process.stderr.write(`error: no file ${command.file}\n`);
    return 2;
  }
  let keys;
  try {
    keys = parseTrustedKeys(await loadKeyText(command.publicKey));
  } catch (error) {
    process.stderr.write(`error: public key: ${(error as Error).message}\n`);
    return 2;
  }
  const read = (): AsyncIterable<string> =>
    createInterface({ input: createReadStream(command.file, 'utf8'), crlfDelay: Infinity });
  const verdict = await verifyExport(read, keys);
  if (command.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
  else if (verdict.ok)
    process.stdout.write(
      `intact: tenant ${verdict.tenantId}, entries ${verdict.from}..${verdict.to} (${verdict.entries}), ${verdict.checkpoints} signed checkpoint(s), head ${verdict.head}\n`,
    );
  else process.stdout.write(`BROKEN at position ${verdict.position}: ${verdict.reason}\n`);
  return verdict.ok ? 0 : 1;
}

async function loadKeyText(source: string): Promise<string> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    return response.text();
  }
  return readFileSync(source, 'utf8');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`audit:verify: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
