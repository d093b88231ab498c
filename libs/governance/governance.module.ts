import { Module } from '@nestjs/common';
import { MessagingModule } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { BudgetStore } from './adapters/budget-store';
import { RegistryGateway } from './adapters/registry.gateway';
import { DecisionsPublisher } from './events/decisions.publisher';
import { ApprovalsController } from './http/approvals.controller';
import { DecisionsController } from './http/decisions.controller';
import { PacksAndBudgetsController } from './http/packs-budgets.controller';
import { PoliciesController } from './http/policies.controller';
import { GovernanceQueries } from './queries/governance.queries';
import { GOVERNANCE_ENTITIES, GOVERNANCE_SCHEMA } from './store/governance-tables';
import { GOVERNANCE_MIGRATIONS } from './store/migrations';
import { TenantPolicies } from './store/tenant-policies';
import { ActivatePolicy } from './use-cases/activate-policy.use-case';
import { ChargeBudget } from './use-cases/charge-budget.use-case';
import { DecideAction } from './use-cases/decide.use-case';
import { DryRun } from './use-cases/dry-run.use-case';
import { PersonaFactsResolver } from './use-cases/persona-facts.resolver';
import { ResolveApproval } from './use-cases/resolve-approval.use-case';
import { SavePolicy } from './use-cases/save-policy.use-case';
import { ValidatePack } from './use-cases/validate-pack.use-case';

/** The governance-policy service: owns the `governance` schema and publishes governance.decisions. */
@Module({
  imports: [
    DatabaseModule.forService({
      schema: GOVERNANCE_SCHEMA,
      entities: GOVERNANCE_ENTITIES,
      migrations: GOVERNANCE_MIGRATIONS,
    }),
    MessagingModule.forService({ schema: GOVERNANCE_SCHEMA }),
  ],
  controllers: [PoliciesController, DecisionsController, ApprovalsController, PacksAndBudgetsController],
  providers: [
    BudgetStore,
    RegistryGateway,
    DecisionsPublisher,
    TenantPolicies,
    GovernanceQueries,
    PersonaFactsResolver,
    SavePolicy,
    ActivatePolicy,
    DecideAction,
    DryRun,
    ResolveApproval,
    ValidatePack,
    ChargeBudget,
  ],
})
export class GovernanceModule {}
