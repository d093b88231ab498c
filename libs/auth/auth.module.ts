import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DatabaseModule } from '@personae/persistence';
import { Authenticator } from './authenticator';
import { AuthGuard } from './http/auth.guard';
import { KeysController } from './http/keys.controller';
import { WhoamiController } from './http/whoami.controller';
import { ApiKeyService } from './keys/api-key.service';
import { AUTH_DATABASE } from './store/auth-schema';

/**
 * Import once per app (after ConfigModule.forRoot): opens the `auth` schema, installs the
 * global bearer-token guard and serves /v1/auth/keys and /v1/auth/whoami.
 */
@Module({
  imports: [DatabaseModule.forService(AUTH_DATABASE)],
  controllers: [KeysController, WhoamiController],
  providers: [ApiKeyService, Authenticator, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [ApiKeyService, Authenticator],
})
export class AuthModule {}
