import type { ServiceDefinition } from '@personae/service-kit';
import { SynthesisModule } from './synthesis.module';

export const SYNTHESIS_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'synthesis-pipeline',
  description: 'Synthesis pipeline: closed training sessions become reviewable draft packs with provenance.',
  defaultPort: 3003,
  modules: [SynthesisModule],
};
