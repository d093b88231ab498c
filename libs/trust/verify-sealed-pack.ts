import type { KeyObject } from 'node:crypto';
import {
  importPublicKey,
  IN_TOTO_PAYLOAD_TYPE,
  keyId as keyIdOf,
  pae,
  parseBundle,
  parseStatement,
  verifyBytes,
  verifyBytesAsync,
  type ParsedBundle,
} from '@personae/crypto';
import { downgradeProblem, type ChannelHistory } from './channel-history';
import { logInclusionProblem, type TransparencyLogTrust } from './log-inclusion';
import {
  packDigest,
  packIdentity,
  packRef,
  PERSONA_PACK_PREDICATE_TYPE,
  predicateProblem,
  type PackIdentity,
  type PackStatement,
} from './pack-statement';

/** The checks, in the order a failure is reported: the first failing one wins. */
export const CHECK_ORDER = [
  'format',
  'signer-trust',
  'signature',
  'digest',
  'revocation',
  'log-inclusion',
  'channel-monotonicity',
] as const;
export type CheckName = (typeof CHECK_ORDER)[number];

export interface TrustedSigner {
  publicKey: KeyObject;
  roles: readonly string[];
  /** From this instant (epoch ms or Date) the key and every seal it made are refused. */
  revokedAt?: number | Date;
}

export interface VerifySealedPackInput {
  /** The Sigstore bundle, parsed JSON or its text. */
  bundle: unknown;
  /** The pack document, or its canonical JSON bytes exactly as sealed (hashed as they are). */
  pack: unknown;
  expected: { name: string; version?: number };
  trustedKeys: ReadonlyMap<string, TrustedSigner>;
  /** Refused versions: `name.vN` refs or `sha256:<hex>` pack digests. */
  revokedVersions?: ReadonlySet<string>;
  transparencyLog: TransparencyLogTrust;
  channelHistory?: ChannelHistory;
  now?: number | Date;
  /** The role a key needs to seal packs (default "pack-signer"). */
  requiredRole?: string;
}

export interface VerifiedPack {
  ok: true;
  statement: PackStatement;
  keyId: string;
  ref: string;
  digest: string;
  logIndex: number;
  /** The pack document (parsed, when canonical bytes were given). */
  pack: unknown;
}

export type VerifySealedPackResult = VerifiedPack | { ok: false; check: CheckName; reason: string };

class CheckFailed extends Error {
  constructor(
    readonly check: CheckName,
    reason: string,
  ) {
    super(reason);
  }
}

const fail = (check: CheckName, reason: string): never => {
  throw new CheckFailed(check, reason);
};

/**
 * Accepts a sealed pack only if every check holds. Structure is checked first and the Ed25519
 * verification only for a key trusted for the role, so junk costs little. Pure: no I/O, no global
 * state; the only memo is the caller-owned TrustedLog's.
 */
export function verifySealedPack(input: VerifySealedPackInput): VerifySealedPackResult {
  return settle(() => {
    const plan = prepare(input);
    if (!verifyBytes(plan.publicKey, plan.message, plan.sig))
      fail('signature', 'DSSE signature does not verify');
    return finish(input, plan);
  });
}

/**
 * Same checks, same order, same result; the DSSE signature is verified on libuv's thread pool
 * while this thread hashes the pack and checks the log, so concurrent calls use every core.
 */
export async function verifySealedPackAsync(input: VerifySealedPackInput): Promise<VerifySealedPackResult> {
  let plan: Plan;
  try {
    plan = prepare(input);
  } catch (error) {
    return settle(() => {
      throw error;
    });
  }
  const signatureOk = verifyBytesAsync(plan.publicKey, plan.message, plan.sig);
  let rest: () => VerifiedPack;
  try {
    const verified = finish(input, plan);
    rest = () => verified;
  } catch (error) {
    rest = () => {
      throw error;
    };
  }
  const ok = await signatureOk;
  return settle(() => (ok ? rest() : fail('signature', 'DSSE signature does not verify')));
}

function settle(run: () => VerifiedPack): VerifySealedPackResult {
  try {
    return run();
  } catch (error) {
    if (error instanceof CheckFailed) return { ok: false, check: error.check, reason: error.message };
    throw error;
  }
}

interface Plan {
  bundle: ParsedBundle;
  statement: PackStatement;
  pack: unknown;
  identity: PackIdentity;
  keyId: string;
  signer: TrustedSigner;
  publicKey: KeyObject;
  message: Buffer;
  sig: Buffer;
}

/** format and signer-trust: everything checkable before any signature. */
function prepare(input: VerifySealedPackInput): Plan {
  const bundle = parse(input.bundle);
  const { envelope } = bundle;
  const signature = envelope.signatures[0]!;
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    fail('format', `payloadType must be ${IN_TOTO_PAYLOAD_TYPE}`);
  let statement: PackStatement;
  try {
    statement = parseStatement(envelope.payload, { requireCanonical: true }) as PackStatement;
  } catch (error) {
    return fail('format', (error as Error).message);
  }
  if (statement.predicateType !== PERSONA_PACK_PREDICATE_TYPE)
    fail('format', `predicateType must be ${PERSONA_PACK_PREDICATE_TYPE}`);
  const predicateIssue = predicateProblem(statement.predicate);
  if (predicateIssue) fail('format', predicateIssue);
  if (statement.subject.length !== 1) fail('format', 'a pack statement has exactly one subject');
  const { pack, identity } = readPack(input.pack);

  // signer-trust: the key the envelope names must be one we trust for this role.
  const keyId = signature.keyid || bundle.keyHint;
  if (keyId !== bundle.keyHint) fail('signer-trust', 'envelope keyid and bundle key hint disagree');
  const signer = input.trustedKeys.get(keyId) ?? fail('signer-trust', `key ${keyId} is not trusted`);
  const role = input.requiredRole ?? 'pack-signer';
  if (!signer.roles.includes(role)) fail('signer-trust', `key ${keyId} lacks the ${role} role`);
  const message = pae(envelope.payloadType, envelope.payload);
  return {
    bundle,
    statement,
    pack,
    identity,
    keyId,
    signer,
    publicKey: signer.publicKey,
    message,
    sig: signature.sig,
  };
}

/** digest, revocation, log-inclusion and channel-monotonicity, once the signature is settled. */
function finish(input: VerifySealedPackInput, plan: Plan): VerifiedPack {
  const { statement, identity, signer, keyId } = plan;
  // digest: the signed subject is this pack, under the expected name and version.
  const subject = statement.subject[0]!;
  const digest = packDigest(input.pack instanceof Uint8Array ? input.pack : plan.pack);
  if (subject.digest.sha256 !== digest) fail('digest', 'pack digest differs from the sealed subject digest');
  if (subject.name !== identity.name)
    fail('digest', `sealed name ${subject.name} is not the pack's ${identity.name}`);
  if (identity.name !== input.expected.name)
    fail('digest', `pack ${identity.name} is not ${input.expected.name}`);
  if (statement.predicate.version !== identity.version)
    fail('digest', `sealed version ${statement.predicate.version} is not the pack's ${identity.version}`);
  if (input.expected.version !== undefined && identity.version !== input.expected.version)
    fail('digest', `pack version ${identity.version} is not the expected ${input.expected.version}`);

  // revocation: of the key, then of the version.
  const now = toMillis(input.now ?? Date.now());
  if (signer.revokedAt !== undefined && toMillis(signer.revokedAt) <= now)
    fail('revocation', `key ${keyId} was revoked at ${new Date(toMillis(signer.revokedAt)).toISOString()}`);
  const ref = packRef(identity);
  if (input.revokedVersions?.has(ref) || input.revokedVersions?.has(`sha256:${digest}`))
    fail('revocation', `${ref} is revoked`);

  const logIssue = logInclusionProblem(plan.bundle, input.transparencyLog);
  if (logIssue) fail('log-inclusion', logIssue);

  if (input.channelHistory) {
    const problem = downgradeProblem(input.channelHistory, identity.version);
    if (problem) fail('channel-monotonicity', problem);
  }
  const { logIndex } = plan.bundle.tlogEntries.find((e) => e.logId.equals(input.transparencyLog.log.logId))!;
  return { ok: true, statement, keyId, ref, digest, logIndex, pack: plan.pack };
}

function parse(value: unknown): ParsedBundle {
  try {
    return parseBundle(typeof value === 'string' ? JSON.parse(value) : value);
  } catch (error) {
    return fail('format', (error as Error).message);
  }
}

function readPack(value: unknown): { pack: unknown; identity: PackIdentity } {
  try {
    const pack =
      value instanceof Uint8Array ? (JSON.parse(Buffer.from(value).toString('utf8')) as unknown) : value;
    return { pack, identity: packIdentity(pack) };
  } catch (error) {
    return fail('format', `pack: ${(error as Error).message}`);
  }
}

/** Builds the trusted-key map from published keys (PEM parsed once, ids computed once). */
export function trustedSigners(
  keys: ReadonlyArray<{ publicKeyPem: string; roles: readonly string[]; revokedAt?: number | Date }>,
): Map<string, TrustedSigner> {
  return new Map(
    keys.map(({ publicKeyPem, ...rest }) => {
      const publicKey = importPublicKey(publicKeyPem);
      return [keyIdOf(publicKey), { publicKey, ...rest }];
    }),
  );
}

function toMillis(value: number | Date): number {
  return value instanceof Date ? value.getTime() : value;
}
