import type { MigrationInterface } from 'typeorm';
import { CreateSigningKeys1732190000300 } from './1732190000300-create-signing-keys';
import { CreateTransparencyLog1732190000301 } from './1732190000301-create-transparency-log';
import { CreateTrustedIdentities1732190000302 } from './1732190000302-create-trusted-identities';
import { CreateVersionRevocations1732190000303 } from './1732190000303-create-version-revocations';

/**
 * Migrations of the `signer` schema, in order. No outbox: the signer publishes no events (sealed
 * and revoked are lifecycle events of the registry, which calls it).
 */
export const SIGNER_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateSigningKeys1732190000300,
  CreateTransparencyLog1732190000301,
  CreateTrustedIdentities1732190000302,
  CreateVersionRevocations1732190000303,
];
