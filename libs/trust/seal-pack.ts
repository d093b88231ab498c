import {
  buildBundle,
  dsseLogBody,
  exportPublicKeyPem,
  IN_TOTO_PAYLOAD_TYPE,
  serializeStatement,
  signEnvelope,
  type DsseEnvelope,
  type SigningKeyPair,
  type SigstoreBundle,
  type TransparencyLog,
} from '@personae/crypto';
import { buildPackStatement, packRef, type PackApproval, type PackStatement } from './pack-statement';

export interface SignPackInput {
  pack: unknown;
  approvals: PackApproval[];
  /** Hex SHA-256 of the governance report the pack passed. */
  governanceReportDigest: string;
  signer: SigningKeyPair;
}

export interface SignedPack {
  ref: string;
  digest: string;
  statement: PackStatement;
  envelope: DsseEnvelope;
  /** The transparency-log leaf for this signature (a Rekor dsse v0.0.1 body). */
  logLeaf: Buffer;
}

/** Canonicalize, hash, state, sign: everything but the log append (which the signer persists). */
export function signPack(input: SignPackInput): SignedPack {
  const { statement, identity, digest } = buildPackStatement(input.pack, input);
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, serializeStatement(statement), input.signer);
  return {
    ref: packRef(identity),
    digest,
    statement,
    envelope,
    logLeaf: dsseLogBody(envelope, exportPublicKeyPem(input.signer.publicKey)),
  };
}

export interface SealedPack extends SignedPack {
  logIndex: number;
  bundle: SigstoreBundle;
}

/** signPack, then append the leaf to the log and wrap it all in a Sigstore bundle v0.3. */
export function sealPack(input: SignPackInput & { log: TransparencyLog }): SealedPack {
  const signed = signPack(input);
  const entry = input.log.append(signed.logLeaf);
  const bundle = buildBundle({
    envelope: signed.envelope,
    keyId: input.signer.keyId,
    logKeyId: input.log.keyId,
    body: signed.logLeaf,
    entry,
  });
  return { ...signed, logIndex: entry.logIndex, bundle };
}
