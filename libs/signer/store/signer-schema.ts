import type { ServiceDatabaseOptions } from '@personae/persistence';
import { CheckpointEntity } from './checkpoint.entity';
import { LogLeafEntity } from './log-leaf.entity';
import { SIGNER_MIGRATIONS } from './migrations';
import { SigningKeyEntity } from './signing-key.entity';
import { TrustedIdentityEntity } from './trusted-identity.entity';
import { VersionRevocationEntity } from './version-revocation.entity';

export const SIGNER_SCHEMA = 'signer';

export const SIGNER_DATABASE: ServiceDatabaseOptions = {
  schema: SIGNER_SCHEMA,
  migrations: SIGNER_MIGRATIONS,
  entities: [
    SigningKeyEntity,
    LogLeafEntity,
    CheckpointEntity,
    TrustedIdentityEntity,
    VersionRevocationEntity,
  ],
};
