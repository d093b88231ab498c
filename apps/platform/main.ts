import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { SERVICES } from './service-catalog';

// Every service in one process on embedded defaults: what `npm start` runs.
runService({
  name: 'platform',
  description:
    'Every Personae service in one process: registry, training, synthesis, governance, runtime, signer and audit.',
  defaultPort: 3000,
  modules: SERVICES.flatMap((service) => service.modules),
});
