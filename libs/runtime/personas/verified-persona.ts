import type { PersonaPack } from '@personae/pack';

/** A pack that passed every check of the verification library, as the runtime runs it. */
export interface VerifiedPersona {
  tenantId: string;
  /** name.vN */
  ref: string;
  name: string;
  version: number;
  /** sha256:<hex> of the canonical pack. */
  digest: string;
  pack: PersonaPack;
  keyId: string;
  logIndex: number;
}
