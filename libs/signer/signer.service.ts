import type { ServiceDefinition } from '@personae/service-kit';
import { SignerModule } from './signer.module';

export const SIGNER_SERVICE: ServiceDefinition & { defaultPort: number } = {
  name: 'signer',
  description: 'Signer: Ed25519 keys, DSSE/in-toto seals, transparency log.',
  defaultPort: 3006,
  modules: [SignerModule],
};
