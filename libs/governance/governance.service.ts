import type { ServiceDefinition } from '@personae/service-kit';
import { GovernanceModule } from './governance.module';

export const GOVERNANCE_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'governance-policy',
  description: 'Governance policy: decisions on every action, PII redaction, budgets, pack validation.',
  defaultPort: 3004,
  modules: [GovernanceModule],
};
