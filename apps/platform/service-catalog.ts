import { REGISTRY_SERVICE } from '@personae/registry';
import { TRAINING_SERVICE } from '@personae/training';
import { SYNTHESIS_SERVICE } from '@personae/synthesis';
import { GOVERNANCE_SERVICE } from '@personae/governance';
import { RUNTIME_SERVICE } from '@personae/runtime';
import { SIGNER_SERVICE } from '@personae/signer';
import { AUDIT_SERVICE } from '@personae/audit';

/** Every service of the platform, with the port it listens on when run as its own process. */
export const SERVICES = [
  REGISTRY_SERVICE,
  TRAINING_SERVICE,
  SYNTHESIS_SERVICE,
  GOVERNANCE_SERVICE,
  RUNTIME_SERVICE,
  SIGNER_SERVICE,
  AUDIT_SERVICE,
] as const;
