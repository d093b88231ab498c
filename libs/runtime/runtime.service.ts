import type { ServiceDefinition } from '@personae/service-kit';
import { RuntimeModule } from './runtime.module';

export const RUNTIME_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'runtime-orchestrator',
  description: 'Runtime orchestrator: verified personas swapped in at run time, executed under governance.',
  defaultPort: 3005,
  modules: [RuntimeModule],
};
