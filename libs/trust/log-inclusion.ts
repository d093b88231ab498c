import {
  checkDsseLogBody,
  DSSE_LOG_KIND,
  hashLeaf,
  rootFromInclusionProof,
  verifyConsistency,
  type Checkpoint,
  type ParsedBundle,
} from '@personae/crypto';
import type { TrustedLog } from './trusted-log';

export interface TransparencyLogTrust {
  log: TrustedLog;
  /** A checkpoint the caller already verified (log.open), e.g. the latest it fetched. */
  checkpoint?: Checkpoint;
  /** RFC 9162 proof that the bundle's tree is a prefix of `checkpoint`. */
  consistencyProof?: readonly Uint8Array[];
}

/**
 * Why the bundle's log entry does not prove this signature was logged, or undefined when it does:
 * the entry is in the trusted log, its leaf is about this envelope, its inclusion proof leads to
 * its root, and that root is vouched for by the caller's trusted checkpoint (directly or through a
 * consistency proof) or by a checkpoint the log key signed.
 */
export function logInclusionProblem(bundle: ParsedBundle, trust: TransparencyLogTrust): string | undefined {
  const entry = bundle.tlogEntries.find((e) => e.logId.equals(trust.log.logId));
  if (!entry) return 'bundle has no entry in the trusted log';
  if (entry.kind !== DSSE_LOG_KIND.kind || entry.version !== DSSE_LOG_KIND.version)
    return `log entry kind ${entry.kind}/${entry.version} is not dsse/0.0.1`;
  const bodyIssue = checkDsseLogBody(entry.body, bundle.envelope);
  if (bodyIssue) return bodyIssue;
  const { proof } = entry;
  if (proof.logIndex !== entry.logIndex) return 'inclusion proof is for another index';
  const root = rootFromInclusionProof(hashLeaf(entry.body), entry.logIndex, proof.treeSize, proof.hashes);
  if (!root || !root.equals(proof.rootHash)) return 'inclusion proof does not lead to its root hash';

  const trusted = trust.checkpoint;
  if (trusted && trusted.treeSize === proof.treeSize)
    return trusted.rootHash.equals(proof.rootHash) ? undefined : 'root differs from the trusted checkpoint';
  if (trusted && trust.consistencyProof && proof.treeSize < trusted.treeSize) {
    const consistent = verifyConsistency(
      proof.treeSize,
      trusted.treeSize,
      proof.rootHash,
      trusted.rootHash,
      trust.consistencyProof,
    );
    return consistent ? undefined : 'tree is not consistent with the trusted checkpoint';
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = trust.log.open(proof.checkpoint);
  } catch (error) {
    return `checkpoint: ${(error as Error).message}`;
  }
  if (checkpoint.treeSize !== proof.treeSize || !checkpoint.rootHash.equals(proof.rootHash))
    return 'signed checkpoint does not match the inclusion proof';
  return undefined;
}
