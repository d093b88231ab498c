import { ConflictException, Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import { policyVersionLabel } from '@personae/policy';
import type { DataSource } from 'typeorm';
import { resolveApproval, type ApprovalVerdict } from '../domain/approval';
import { DecisionsPublisher } from '../events/decisions.publisher';
import type { ApprovalEntity } from '../store/approval.entity';
import { governanceTables, GOVERNANCE_SCHEMA } from '../store/governance-tables';

/** A reviewer approves or denies a pending approval, once; the answer is published with the policy version. */
@Injectable()
export class ResolveApproval {
  constructor(
    @InjectDataSource(GOVERNANCE_SCHEMA) private readonly dataSource: DataSource,
    private readonly publisher: DecisionsPublisher,
  ) {}

  execute(
    principal: Principal,
    id: string,
    verdict: ApprovalVerdict,
    comment: string,
  ): Promise<ApprovalEntity> {
    return this.dataSource.transaction(async (manager) => {
      const tables = governanceTables(manager, principal);
      const approval = await tables.approvals
        .queryBuilder('a')
        .andWhere('a.id = :id', { id })
        .setLock('pessimistic_write')
        .getOne();
      if (!approval) return tables.approvals.get({ id }, `approval ${id}`); // 404
      const transition = resolveApproval(approval.state, verdict);
      if (!transition.ok) throw new ConflictException(transition.reason);
      const resolved: ApprovalEntity = {
        ...approval,
        state: transition.state,
        resolvedBy: principal.subject,
        resolvedAt: new Date(),
        comment,
      };
      await tables.approvals.update(
        { id },
        { state: resolved.state, resolvedBy: resolved.resolvedBy, resolvedAt: resolved.resolvedAt, comment },
      );
      await this.publisher.publish(
        manager,
        principal,
        { persona: approval.personaName.replace(/\.v\d+$/, '') },
        {
          case: 'approvalResolved',
          value: {
            approvalId: id,
            outcome: transition.state,
            comment,
            decisionId: approval.decisionId,
            policyVersion: policyVersionLabel(approval.policyVersions),
          },
        },
      );
      return resolved;
    });
  }
}
