import { Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import {
  buildBundle,
  EMPTY_ROOT,
  signCheckpoint,
  type DsseEnvelope,
  type TransparencyLogEntryJson,
} from '@personae/crypto';
import { InjectDataSource } from '@personae/persistence';
import type {
  ConsistencyProofView,
  LogCheckpointView,
  LogEntryView,
  PublicKeyView,
  RevokedVersionView,
  TrustRoot,
} from '@personae/sdk';
import type { DataSource } from 'typeorm';
import { consistencyQuery, entryQuery, LOG_ORIGIN, type QueryOutcome } from '../domain/transparency-log';
import { revokedVersionView } from '../domain/views';
import { KeyVault } from '../keys/key-vault';
import { MerkleLog } from '../log/merkle-log';
import { LogRepository } from '../store/log.repository';
import { SIGNER_SCHEMA } from '../store/signer-schema';
import { SigningKeyRepository } from '../store/signing-key.repository';
import { VersionRevocationRepository } from '../store/version-revocation.repository';

/**
 * Everything a verifier needs and nothing more: public keys, revoked versions, signed checkpoints
 * and proofs. Log entries carry the Rekor-shaped body only (hashes, signature, public key), not the
 * tenant or pack name they sealed, so the public log does not list what each tenant publishes.
 */
@Injectable()
export class VerificationMaterialQuery {
  constructor(
    @InjectDataSource(SIGNER_SCHEMA) private readonly dataSource: DataSource,
    private readonly vault: KeyVault,
    private readonly keys: SigningKeyRepository,
    private readonly store: LogRepository,
    private readonly log: MerkleLog,
    private readonly revocations: VersionRevocationRepository,
  ) {}

  keysOf(tenantId: string): Promise<PublicKeyView[]> {
    return this.vault.published(tenantId);
  }

  async revocationsOf(tenantId: string): Promise<RevokedVersionView[]> {
    return (await this.revocations.list(tenantId)).map(revokedVersionView);
  }

  /** The newest signed tree head; for an empty log, one signed now. */
  async checkpoint(): Promise<LogCheckpointView> {
    const head = await this.store.latestCheckpoint();
    if (head)
      return {
        origin: LOG_ORIGIN,
        keyId: head.keyId,
        treeSize: head.treeSize,
        rootHash: head.rootHash.toString('base64'),
        checkpoint: head.note,
      };
    const signer = await this.dataSource.transaction((manager) => this.vault.logSigner(manager));
    const note = signCheckpoint(
      { origin: LOG_ORIGIN, treeSize: 0, rootHash: EMPTY_ROOT, timestamp: Date.now() },
      signer,
    );
    return {
      origin: LOG_ORIGIN,
      keyId: signer.keyId,
      treeSize: 0,
      rootHash: EMPTY_ROOT.toString('base64'),
      checkpoint: note,
    };
  }

  async trustRoot(tenantId: string): Promise<TrustRoot> {
    const [keys, revokedVersions, checkpoint] = await Promise.all([
      this.keysOf(tenantId),
      this.revocationsOf(tenantId),
      this.checkpoint(),
    ]);
    const logKey = keys.find((key) => key.keyId === checkpoint.keyId);
    if (!logKey) throw new Error(`the log key ${checkpoint.keyId} is not among the published keys`);
    return {
      keys,
      log: {
        origin: checkpoint.origin,
        keyId: checkpoint.keyId,
        publicKeyPem: logKey.publicKeyPem,
        checkpoint: checkpoint.checkpoint,
        treeSize: checkpoint.treeSize,
        rootHash: checkpoint.rootHash,
      },
      revokedVersions,
    };
  }

  /** One entry with its inclusion proof against `treeSize` (default: the newest checkpoint). */
  async entry(index: string, treeSize: string | undefined): Promise<LogEntryView> {
    const size = await this.committedSize();
    const query = settle(entryQuery(index, treeSize, size));
    const { leaf, proof, logKeyId } = await this.log.entry(query.index, query.treeSize);
    return tlogEntry(leaf.envelope, leaf.keyId, logKeyId, leaf.body, proof);
  }

  async consistency(from: string, to: string | undefined): Promise<ConsistencyProofView> {
    const size = await this.committedSize();
    const query = settle(consistencyQuery(from, to, size));
    const hashes = await this.log.consistency(query.from, query.to);
    const [first, second] = await Promise.all([
      query.from > 0 ? this.store.checkpointAt(query.from) : null,
      query.to > 0 ? this.store.checkpointAt(query.to) : null,
    ]);
    return {
      firstSize: query.from,
      secondSize: query.to,
      hashes: hashes.map((hash) => hash.toString('base64')),
      ...(first ? { firstCheckpoint: first.note } : {}),
      ...(second ? { secondCheckpoint: second.note } : {}),
    };
  }

  private async committedSize(): Promise<number> {
    return (await this.store.latestCheckpoint())?.treeSize ?? 0;
  }
}

function settle<T>(outcome: QueryOutcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.status === 404
    ? new NotFoundException(outcome.reason)
    : new BadRequestException(outcome.reason);
}

/** Exactly the tlogEntries item a bundle for this entry carries. */
function tlogEntry(
  envelope: string,
  keyId: string,
  logKeyId: string,
  body: string,
  proof: Parameters<typeof buildBundle>[0]['entry'],
): TransparencyLogEntryJson {
  const bundle = buildBundle({
    envelope: JSON.parse(envelope) as DsseEnvelope,
    keyId,
    logKeyId,
    body: Buffer.from(body, 'utf8'),
    entry: proof,
  });
  return bundle.verificationMaterial.tlogEntries[0]!;
}
