import { Module } from '@nestjs/common';
import { MessagingModule, OutboxWake } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { BudgetStep } from './execution/budget.step';
import { ExecutePersona } from './execution/execute-persona.use-case';
import { ExecutionRecorder } from './execution/execution-recorder';
import { InputGovernance } from './execution/input-governance.step';
import { KnowledgeStep } from './execution/knowledge.step';
import { OutputGovernance } from './execution/output-governance.step';
import { PolicyDecisions } from './execution/policy-decisions';
import { TenantPolicyLayers } from './execution/tenant-policy-layers';
import { Pseudonyms } from './execution/pseudonyms';
import { ExecuteController } from './http/execute.controller';
import { InstancesController } from './http/instances.controller';
import { OpenAiController } from './http/openai.controller';
import { ReceiptsController } from './http/receipts.controller';
import { SessionsController } from './http/sessions.controller';
import { ToolsController } from './http/tools.controller';
import { LifecycleReactions } from './personas/lifecycle-reactions';
import { PersonaCatalogue } from './personas/persona-catalogue';
import { PersonaResolver } from './personas/persona-resolver';
import { SealedPackStore } from './personas/sealed-pack.store';
import { TrustRoots } from './personas/trust-roots';
import { ReceiptKeys } from './receipts/receipt-keys';
import { Instances } from './sessions/instances.use-case';
import { RUNTIME_MIGRATIONS } from './store/migrations';
import { ExecutionsStore } from './store/executions.store';
import { RuntimeStore } from './store/runtime.store';
import { RUNTIME_SCHEMA } from './store/runtime-schema';
import { ToolEndpoints } from './tools/tool-endpoints';
import { ToolInvoker } from './tools/tool-invoker';

/**
 * The runtime-orchestrator service: owns the `runtime` schema; resolves personas through the registry
 * and accepts them only through the verification library; runs them under governance; publishes
 * runtime.executions and runtime.swaps.
 */
@Module({
  imports: [
    DatabaseModule.forService({ schema: RUNTIME_SCHEMA, migrations: RUNTIME_MIGRATIONS }),
    MessagingModule.forService({ schema: RUNTIME_SCHEMA }),
  ],
  controllers: [
    SessionsController,
    ExecuteController,
    InstancesController,
    ReceiptsController,
    ToolsController,
    OpenAiController,
  ],
  providers: [
    OutboxWake.provider(RUNTIME_SCHEMA),
    RuntimeStore,
    ExecutionsStore,
    TrustRoots,
    SealedPackStore,
    PersonaResolver,
    PersonaCatalogue,
    LifecycleReactions,
    ReceiptKeys,
    Instances,
    ToolEndpoints,
    ToolInvoker,
    Pseudonyms,
    PolicyDecisions,
    TenantPolicyLayers,
    InputGovernance,
    BudgetStep,
    KnowledgeStep,
    OutputGovernance,
    ExecutionRecorder,
    ExecutePersona,
  ],
  exports: [PersonaResolver, Instances, ExecutePersona, ReceiptKeys],
})
export class RuntimeModule {}
