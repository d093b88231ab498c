import { BadGatewayException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { canonicalPackJson, packDigest } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { sameDigest, sha256Hex } from '../domain/digests';
import { governanceVerdict } from '../domain/governance-report';
import { applyDraftAction } from '../domain/lifecycle';
import { nextVersionNumber, versionRef } from '../domain/persona-ref';
import { sealedPack } from '../domain/registry-fields';
import { LifecyclePublisher } from '../events/lifecycle.publisher';
import { GovernanceGateway } from '../signer/governance.gateway';
import { SignerGateway } from '../signer/signer.gateway';
import { lockDraft, lockPersona } from '../store/locks';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { VersionEntity } from '../store/version.entity';
import { draftFacts } from './draft-facts';
import { allowed } from './refusals';

/**
 * Seals an approved draft into the immutable version `name.vN`: check the lifecycle (approvals
 * included), number it, have governance validate it (a failing report refuses the seal: 422 with the
 * failing checks) and the signer sign it with the report's digest in the predicate, then store the exact signed bytes, the bundle and the
 * `sealed` event in one transaction.
 *
 * The transaction (holding the draft and persona row locks) stays open across the signer call, so two
 * seals of one persona cannot number the same version, and a failed signer call writes nothing.
 */
@Injectable()
export class SealDraft {
  constructor(
    @InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource,
    private readonly lifecycle: LifecyclePublisher,
    private readonly signer: SignerGateway,
    private readonly governance: GovernanceGateway,
  ) {}

  execute(principal: Principal, token: string, id: string): Promise<VersionEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = registryTables(manager, principal);
      const draft = await lockDraft(tables, id);
      await lockPersona(tables, draft.personaName);
      const next = allowed(applyDraftAction(draftFacts(draft), { kind: 'seal' }));
      const highest = await tables.versions
        .queryBuilder('v')
        .select('MAX(v.version)', 'highest')
        .andWhere('v.personaName = :name', { name: draft.personaName })
        .getRawOne<{ highest: number | null }>();
      const version = allowed(nextVersionNumber(highest?.highest ?? undefined));

      const pack = sealedPack(draft.pack, version);
      const canonical = canonicalPackJson(pack);
      const digest = packDigest(pack);
      const approvals = next.approvals.map((a) => ({ by: a.reviewerId, role: 'reviewer', at: a.at }));
      // Governance vets the exact pack being sealed; a failing report refuses the seal (nothing written).
      const validation = await this.governance.validatePack(token, pack);
      const verdict = governanceVerdict(validation.report, validation.digest, digest);
      if (!verdict.ok) {
        if (validation.report.packDigest !== digest || verdict.failing.length === 0)
          throw new BadGatewayException(verdict.reason);
        throw new UnprocessableEntityException({ message: verdict.reason, errors: verdict.failing });
      }
      const sealed = await this.signer.seal(token, {
        pack: pack,
        approvals,
        governanceReportDigest: verdict.digest,
      });
      if (!sameDigest(sealed.digest, digest))
        throw new BadGatewayException(
          'the signer sealed other bytes than the registry sent; nothing was stored',
        );

      const entity: VersionEntity = {
        tenantId: principal.tenantId,
        personaName: draft.personaName,
        version,
        canonical,
        digest,
        bundle: sealed.bundle,
        keyId: sealed.keyId,
        logIndex: sealed.logIndex,
        approvals,
        governanceReport: validation.report,
        draftId: id,
        sealedBy: principal.subject,
        sealedAt: new Date(),
        state: 'sealed',
        stateReason: null,
        stateChangedBy: null,
        stateChangedAt: null,
      };
      await tables.versions.insert(entity);
      await tables.drafts.update({ id }, { state: next.state, version, updatedAt: entity.sealedAt });
      const ref = versionRef(draft.personaName, version);
      await this.lifecycle.publish(
        manager,
        principal,
        { name: draft.personaName, personaRef: ref, sessionId: draft.sessionId ?? undefined },
        {
          case: 'sealed',
          value: {
            personaName: draft.personaName,
            version,
            packSha256: sha256Hex(digest),
            keyId: sealed.keyId,
            logIndex: BigInt(sealed.logIndex),
            draftId: id,
            trainingSessions: pack.provenance?.trainingSessions ?? [],
          },
        },
      );
      return entity;
    });
  }
}
