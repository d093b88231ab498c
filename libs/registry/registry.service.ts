import type { ServiceDefinition } from '@personae/service-kit';
import { RegistryModule } from './registry.module';

export const REGISTRY_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'persona-registry',
  description: 'Persona packs: drafts, reviews, sealed versions, channels, search and resolve.',
  defaultPort: 3001,
  modules: [RegistryModule],
};
