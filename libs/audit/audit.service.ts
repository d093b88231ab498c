import type { ServiceDefinition } from '@personae/service-kit';
import { AuditModule } from './audit.module';

export const AUDIT_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'audit-ledger',
  description: 'Audit ledger: tamper-evident, queryable record of every event.',
  defaultPort: 3007,
  modules: [AuditModule],
};
