import { ConflictException, Injectable } from '@nestjs/common';
import { buildBundle, type DsseEnvelope, type SigstoreBundle } from '@personae/crypto';
import type { Principal } from '@personae/auth';
import type { SealResult } from '@personae/sdk';
import { RequestValidationError } from '@personae/service-kit';
import { packDigest, packRef, signPack } from '@personae/trust';
import { decideSeal } from '../domain/seal-decision';
import { checkSealRequest, type SealInput } from '../domain/seal-request';
import { MerkleLog, type LogWriter } from '../log/merkle-log';
import { KeyVault } from '../keys/key-vault';
import { LogRepository } from '../store/log.repository';
import { SigningKeyRepository } from '../store/signing-key.repository';
import { VersionRevocationRepository } from '../store/version-revocation.repository';
import { TrustedSignerCheck } from './trusted-signer.check';

/**
 * Seals a pack: trusted identity, request checks, then, as the log's single writer and in one
 * transaction, the immutability check, the DSSE/in-toto signature with the tenant's active key, the
 * log append with its signed checkpoint, and the Sigstore bundle. Refusals write nothing.
 */
@Injectable()
export class SealPackUseCase {
  constructor(
    private readonly trusted: TrustedSignerCheck,
    private readonly log: MerkleLog,
    private readonly leaves: LogRepository,
    private readonly keys: SigningKeyRepository,
    private readonly vault: KeyVault,
    private readonly revocations: VersionRevocationRepository,
  ) {}

  async execute(principal: Principal, input: SealInput): Promise<{ result: SealResult; created: boolean }> {
    await this.trusted.require(principal, ['pack-signer'], 'sealing');
    const checked = checkSealRequest(input, principal.tenantId);
    if (!checked.ok) throw new RequestValidationError(checked.problems);
    const seal = checked.value;
    const tenantId = principal.tenantId;
    const ref = packRef(seal);

    return this.log.write(async (writer) => {
      const { manager } = writer;
      const digest = `sha256:${packDigest(seal.pack)}`;
      const prior = await this.leaves.sealsOf(manager, tenantId, seal.name, seal.version);
      const statuses = await this.keys.statuses(
        manager,
        prior.map((p) => p.keyId),
      );
      const revoked = await this.revocations.find(tenantId, seal.name, seal.version, manager);
      const decision = decideSeal({
        ref,
        digest,
        prior: prior.map((p) => ({
          logIndex: p.logIndex,
          digest: p.packDigest,
          keyStatus: statuses.get(p.keyId) ?? 'revoked',
        })),
        ...(revoked ? { revokedVersion: { reason: revoked.reason } } : {}),
      });
      switch (decision.kind) {
        case 'conflict':
          throw new ConflictException(decision.reason);
        case 'reuse':
          return { result: await reissue(writer, decision.logIndex, digest), created: false };
        case 'append': {
          const signer = await this.vault.packSigner(manager, tenantId, principal.subject);
          const signed = signPack({
            pack: seal.pack,
            approvals: seal.approvals,
            governanceReportDigest: seal.governanceReportDigestHex,
            signer,
          });
          const entry = await writer.append(signed.logLeaf, {
            envelope: JSON.stringify(signed.envelope),
            keyId: signer.keyId,
            tenantId,
            packName: seal.name,
            packVersion: seal.version,
            packDigest: digest,
            sealedBy: principal.subject,
          });
          const bundle = buildBundle({
            envelope: signed.envelope,
            keyId: signer.keyId,
            logKeyId: writer.logKeyId,
            body: signed.logLeaf,
            entry,
          });
          return { result: sealResult(bundle, digest, signer.keyId, entry.logIndex), created: true };
        }
        default:
          return assertNever(decision);
      }
    });
  }
}

/** The bundle an earlier seal was issued with, rebuilt from the log. */
async function reissue(writer: LogWriter, logIndex: number, digest: string): Promise<SealResult> {
  const { leaf, proof, logKeyId } = await writer.issued(logIndex);
  const bundle = buildBundle({
    envelope: JSON.parse(leaf.envelope) as DsseEnvelope,
    keyId: leaf.keyId,
    logKeyId,
    body: Buffer.from(leaf.body, 'utf8'),
    entry: proof,
  });
  return sealResult(bundle, digest, leaf.keyId, logIndex);
}

function sealResult(bundle: SigstoreBundle, digest: string, keyId: string, logIndex: number): SealResult {
  return { bundle: bundle as unknown as Record<string, unknown>, digest, keyId, logIndex };
}

function assertNever(value: never): never {
  throw new Error(`unhandled seal decision ${JSON.stringify(value)}`);
}
