import { createHash } from 'node:crypto';
import { buildStatement, canonicalize, isJsonObject, isSha256Hex, type Statement } from '@personae/crypto';

/**
 * What a seal says about a persona pack, as an in-toto Statement v1: the subject is the pack name
 * with the SHA-256 of its RFC 8785 canonical JSON; the predicate records which version it is,
 * who approved it and the digest of the governance report it passed.
 */
export const PERSONA_PACK_PREDICATE_TYPE = 'https://personae.dev/persona-pack/v1';

export interface PackApproval {
  /** Who approved (user or service id). */
  by: string;
  /** In what capacity, e.g. "reviewer", "governance". */
  role: string;
  /** ISO 8601 instant. */
  at: string;
}

export interface PersonaPackPredicate {
  version: number;
  approvals: PackApproval[];
  governanceReportDigest: { sha256: string };
}

export type PackStatement = Statement<PersonaPackPredicate>;

export interface PackIdentity {
  name: string;
  version: number;
}

export class PackFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackFormatError';
  }
}

/** metadata.name and metadata.version, checked; the only fields sealing reads from the pack. */
export function packIdentity(pack: unknown): PackIdentity {
  const metadata = isJsonObject(pack) ? pack.metadata : undefined;
  if (!isJsonObject(metadata)) throw new PackFormatError('pack has no metadata');
  const { name, version } = metadata;
  if (typeof name !== 'string' || name.length === 0)
    throw new PackFormatError('pack metadata.name is missing');
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    throw new PackFormatError('pack metadata.version must be a positive integer');
  return { name, version };
}

/** A sealed version's name: `name.vN`. */
export function packRef(identity: PackIdentity): string {
  return `${identity.name}.v${identity.version}`;
}

export function canonicalPackBytes(pack: unknown): Buffer {
  return Buffer.from(canonicalize(pack), 'utf8');
}

/** Lowercase hex SHA-256 of the pack's canonical JSON (or of canonical bytes given as such). */
export function packDigest(pack: unknown): string {
  const bytes = pack instanceof Uint8Array ? pack : canonicalPackBytes(pack);
  return createHash('sha256').update(bytes).digest('hex');
}

export function buildPackStatement(
  pack: unknown,
  input: { approvals: PackApproval[]; governanceReportDigest: string },
): { statement: PackStatement; identity: PackIdentity; digest: string } {
  const identity = packIdentity(pack);
  if (!isSha256Hex(input.governanceReportDigest))
    throw new PackFormatError('governanceReportDigest must be 64 lowercase hex characters');
  const digest = packDigest(pack);
  const predicate: PersonaPackPredicate = {
    version: identity.version,
    approvals: input.approvals.map(({ by, role, at }) => ({ by, role, at })),
    governanceReportDigest: { sha256: input.governanceReportDigest },
  };
  const problem = predicateProblem(predicate);
  if (problem) throw new PackFormatError(problem);
  const statement = buildStatement(
    [{ name: identity.name, digest: { sha256: digest } }],
    PERSONA_PACK_PREDICATE_TYPE,
    predicate,
  );
  return { statement, identity, digest };
}

/** Why a statement's predicate is not a persona-pack v1 predicate, or undefined when it is. */
export function predicateProblem(predicate: unknown): string | undefined {
  if (!isJsonObject(predicate)) return 'predicate must be an object';
  const { version, approvals, governanceReportDigest } = predicate;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1)
    return 'predicate.version must be a positive integer';
  if (!Array.isArray(approvals)) return 'predicate.approvals must be an array';
  for (const [i, approval] of approvals.entries()) {
    if (!isJsonObject(approval) || ['by', 'role', 'at'].some((field) => typeof approval[field] !== 'string'))
      return `predicate.approvals[${i}] needs string by, role and at`;
  }
  if (!isJsonObject(governanceReportDigest) || !isSha256Hex(governanceReportDigest.sha256))
    return 'predicate.governanceReportDigest.sha256 must be a SHA-256 hex digest';
  return undefined;
}
