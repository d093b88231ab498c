import type { KeyObject } from 'node:crypto';
import { canonicalize } from '@personae/crypto';
import type { SignedCheckpoint } from './checkpoint';
import { EXPORT_FORMAT, type ExportHeader } from './export-format';
import { LedgerVerifier, type Verdict } from './ledger-verifier';

/**
 * Verifies an export with nothing but the ledger's public key(s): `read()` must yield the file's
 * lines, and is called twice (checkpoints first, then entries in order), so memory stays bounded
 * by the checkpoints. Keys listed in the file's header are never trusted; only `trustedKeys`.
 */
export type ExportVerdict =
  | (Verdict & { tenantId: string })
  | { ok: false; tenantId: string | null; position: number; reason: string; line: number };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function verifyExport(
  read: () => AsyncIterable<string>,
  trustedKeys: ReadonlyMap<string, KeyObject>,
): Promise<ExportVerdict> {
  let header: ExportHeader | undefined;
  const checkpoints: SignedCheckpoint[] = [];
  let lineNumber = 0;
  const malformed = (reason: string, position: number): ExportVerdict => ({
    ok: false,
    tenantId: header?.tenantId ?? null,
    position,
    reason: `line ${lineNumber}: ${reason}`,
    line: lineNumber,
  });

  for await (const line of read()) {
    lineNumber++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      if (!header) return malformed('the header is not JSON', 0);
      continue; // reported in the second pass, at its position
    }
    if (!header) {
      if (!isRecord(parsed) || parsed.kind !== 'header' || parsed.format !== EXPORT_FORMAT)
        return malformed(`the first line must be a ${EXPORT_FORMAT} header`, 0);
      header = parsed as unknown as ExportHeader;
      if (header.anchor)
        header.anchor = { statement: header.anchor.statement, signature: header.anchor.signature };
      continue;
    }
    if (isRecord(parsed) && parsed.kind === 'checkpoint' && isRecord(parsed.statement))
      checkpoints.push({
        statement: parsed.statement as unknown as SignedCheckpoint['statement'],
        signature: parsed.signature as SignedCheckpoint['signature'],
      });
  }
  if (!header) return malformed('the file is empty', 0);

  const verifier = new LedgerVerifier({
    tenantId: header.tenantId,
    keys: trustedKeys,
    checkpoints,
    anchor: header.anchor ?? undefined,
  });
  let expected = header.anchor ? header.anchor.statement.toPosition + 1 : 0;
  lineNumber = 0;
  for await (const line of read()) {
    lineNumber++;
    if (lineNumber === 1 || line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return malformed('not valid JSON', expected);
    }
    if (!isRecord(parsed)) return malformed('not a JSON object', expected);
    if (parsed.kind === 'checkpoint') continue;
    if (
      parsed.kind !== 'entry' ||
      !isRecord(parsed.entry) ||
      typeof parsed.hash !== 'string' ||
      !/^[0-9a-f]{64}$/.test(parsed.hash)
    )
      return malformed('not an entry line', expected);
    const entry = parsed.entry;
    if (entry.tenantId !== header.tenantId)
      return malformed(`entry of another tenant (${String(entry.tenantId)})`, expected);
    const position =
      typeof entry.position === 'number' && Number.isSafeInteger(entry.position) ? entry.position : -1;
    let canonical: string;
    try {
      canonical = canonicalize(entry);
    } catch (error) {
      return malformed(`entry is not canonicalizable: ${(error as Error).message}`, expected);
    }
    if (!verifier.push(position < 0 ? expected : position, canonical, Buffer.from(parsed.hash, 'hex'))) break;
    expected++;
  }
  return { ...verifier.finish(header.toPosition + 1, header.toPosition), tenantId: header.tenantId };
}
