import type { ServiceDefinition } from '@personae/service-kit';
import { TrainingModule } from './training.module';

export const TRAINING_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'training-session',
  description:
    'Training sessions: trainers teach a persona; every step is an immutable event; archives are encrypted.',
  defaultPort: 3002,
  modules: [TrainingModule],
};
