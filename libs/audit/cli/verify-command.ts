import type { KeyObject } from 'node:crypto';
import { importPublicKey, keyId } from '@personae/crypto';

export const VERIFY_USAGE = `usage: npm run audit:verify -- <export.jsonl> --public-key <file.pem | keys.json | https://…/v1/audit/keys> [--json]

Verifies an audit ledger export (GET /v1/audit/export) offline: every entry's chain hash, every
signed checkpoint and the anchor, trusting only the given public key(s). Exit codes: 0 intact,
1 broken (the first broken position is printed), 2 bad arguments or unreadable input.`;

export class UsageError extends Error {}

export interface VerifyCommand {
  kind: 'verify';
  file: string;
  publicKey: string;
  json: boolean;
}

export function parseVerifyCommand(argv: readonly string[]): VerifyCommand | { kind: 'help' } {
  let file: string | undefined;
  let publicKey: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--json') json = true;
    else if (arg === '--public-key') {
      publicKey = argv[++i];
      if (!publicKey) throw new UsageError('--public-key needs a file or URL');
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (file) throw new UsageError('give one export file');
    else file = arg;
  }
  if (!file) throw new UsageError('the export file is missing');
  if (!publicKey)
    throw new UsageError('--public-key is required: the export is never trusted for its own keys');
  return { kind: 'verify', file, publicKey, json };
}

/**
 * Keys from PEM text (one or more PUBLIC KEY blocks) or from the JSON GET /v1/audit/keys answers.
 */
export function parseTrustedKeys(text: string): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const add = (pem: string): void => {
    const key = importPublicKey(pem);
    keys.set(keyId(key), key);
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { keys?: { publicKeyPem?: unknown }[] };
    for (const key of parsed.keys ?? []) if (typeof key.publicKeyPem === 'string') add(key.publicKeyPem);
  } else {
    for (const block of trimmed.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [])
      add(block);
  }
  if (keys.size === 0)
    throw new UsageError('no public key found (expected PEM or {"keys":[{"publicKeyPem"}]})');
  return keys;
}
