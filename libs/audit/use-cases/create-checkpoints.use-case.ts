import { Injectable, Logger } from '@nestjs/common';
import { canonicalize } from '@personae/crypto';
import { EventPublisher } from '@personae/messaging';
import {
  CHECKPOINT_FORMAT,
  CheckpointRoot,
  NO_PREVIOUS,
  signCheckpoint,
  statementDigest,
  type SignedCheckpoint,
} from '../domain/checkpoint';
import { LedgerKeys } from '../keys/ledger-keys';
import { LedgerRepository } from '../store/ledger.repository';

/**
 * Seals what each tenant's chain gained since its last checkpoint: Merkle root over the new
 * entries' hashes, the chain head, a link to the previous checkpoint, signed with the ledger key,
 * stored, and published on `audit.checkpoints` in the same transaction.
 */
@Injectable()
export class CreateCheckpoints {
  private readonly logger = new Logger('AuditCheckpoints');

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly keys: LedgerKeys,
    private readonly publisher: EventPublisher,
  ) {}

  /** One checkpoint per tenant that has new entries; returns those created. */
  async forAllTenants(): Promise<SignedCheckpoint[]> {
    const created: SignedCheckpoint[] = [];
    for (const tenantId of await this.ledger.tenantsWithHeads()) {
      const checkpoint = await this.forTenant(tenantId);
      if (checkpoint) created.push(checkpoint);
    }
    return created;
  }

  async forTenant(tenantId: string): Promise<SignedCheckpoint | undefined> {
    const signer = await this.keys.signer();
    return this.ledger.dataSource.transaction(async (manager) => {
      // One checkpointer per tenant at a time, across processes.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('audit-checkpoint:' || $1))`, [tenantId]);
      const heads: { next_position: string }[] = await manager.query(
        `SELECT next_position FROM audit.chain_heads WHERE tenant_id = $1`,
        [tenantId],
      );
      const next = Number(heads[0]?.next_position ?? 0);
      const lastRows: { statement: string }[] = await manager.query(
        `SELECT statement FROM audit.checkpoints WHERE tenant_id = $1 ORDER BY sequence DESC LIMIT 1`,
        [tenantId],
      );
      const last = lastRows[0]
        ? (JSON.parse(lastRows[0].statement) as SignedCheckpoint['statement'])
        : undefined;
      const fromPosition = last ? last.toPosition + 1 : 0;
      const toPosition = next - 1;
      if (toPosition < fromPosition) return undefined;

      const root = new CheckpointRoot();
      let chainHead = '';
      for await (const hashes of this.ledger.scanHashes(manager, tenantId, fromPosition, toPosition)) {
        for (const hash of hashes) root.push(hash);
        chainHead = hashes[hashes.length - 1]!.toString('hex');
      }
      if (root.size !== toPosition - fromPosition + 1)
        throw new Error(
          `audit chain of ${tenantId} has ${root.size} entries in [${fromPosition}, ${toPosition}]`,
        );

      const checkpoint = signCheckpoint(
        {
          format: CHECKPOINT_FORMAT,
          tenantId,
          sequence: last ? last.sequence + 1 : 0,
          fromPosition,
          toPosition,
          merkleRoot: root.rootHex(),
          chainHead,
          previous: last ? statementDigest(last) : NO_PREVIOUS,
          createdAt: new Date().toISOString(),
        },
        signer,
      );
      const statementText = canonicalize(checkpoint.statement);
      await this.ledger.insertCheckpoint(manager, checkpoint, statementText);
      await this.publisher.publish(manager, {
        topic: 'audit.checkpoints',
        key: tenantId,
        tenantId,
        actor: { kind: 'service', id: 'audit-ledger' },
        payload: {
          event: {
            case: 'checkpoint',
            value: {
              fromPosition: BigInt(fromPosition),
              toPosition: BigInt(toPosition),
              merkleRoot: checkpoint.statement.merkleRoot,
              chainHead,
              keyId: checkpoint.signature.keyid,
              signature: checkpoint.signature.sig,
              statement: statementText,
              sequence: BigInt(checkpoint.statement.sequence),
            },
          },
        },
      });
      this.logger.debug(
        `checkpoint ${checkpoint.statement.sequence} of ${tenantId}: [${fromPosition}, ${toPosition}]`,
      );
      return checkpoint;
    });
  }
}
