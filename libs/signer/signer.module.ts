import { Module } from '@nestjs/common';
import { AuthModule } from '@personae/auth';
import { DatabaseModule } from '@personae/persistence';
import { IdentitiesController } from './http/identities.controller';
import { PublicTenant } from './http/public-tenant';
import { RevocationsController } from './http/revocations.controller';
import { SealController } from './http/seal.controller';
import { SigningKeysController } from './http/signing-keys.controller';
import { TransparencyLogController } from './http/transparency-log.controller';
import { TrustRootController } from './http/trust-root.controller';
import { KeyVault } from './keys/key-vault';
import { MerkleLog } from './log/merkle-log';
import { LogRepository } from './store/log.repository';
import { SIGNER_DATABASE } from './store/signer-schema';
import { SigningKeyRepository } from './store/signing-key.repository';
import { TrustedIdentityRepository } from './store/trusted-identity.repository';
import { VersionRevocationRepository } from './store/version-revocation.repository';
import { ManageIdentitiesUseCase } from './use-cases/manage-identities.use-case';
import { RevokeVersionUseCase } from './use-cases/revoke-version.use-case';
import { SealPackUseCase } from './use-cases/seal-pack.use-case';
import { TrustedSignerCheck } from './use-cases/trusted-signer.check';
import { VerificationMaterialQuery } from './use-cases/verification-material.query';

/**
 * The signer service: owns the `signer` schema, the Ed25519 keys (encrypted under the process' KEK
 * ring), the RFC 9162 transparency log and the registry of trusted signer identities. It publishes
 * no events: sealing and revoking are lifecycle events of the registry, which calls it over HTTP.
 * AuthModule is imported for the Authenticator, so public routes can default to the caller's tenant.
 */
@Module({
  imports: [DatabaseModule.forService(SIGNER_DATABASE), AuthModule],
  controllers: [
    SealController,
    SigningKeysController,
    TrustRootController,
    TransparencyLogController,
    IdentitiesController,
    RevocationsController,
  ],
  providers: [
    SigningKeyRepository,
    LogRepository,
    TrustedIdentityRepository,
    VersionRevocationRepository,
    KeyVault,
    MerkleLog,
    TrustedSignerCheck,
    SealPackUseCase,
    RevokeVersionUseCase,
    ManageIdentitiesUseCase,
    VerificationMaterialQuery,
    PublicTenant,
  ],
})
export class SignerModule {}
