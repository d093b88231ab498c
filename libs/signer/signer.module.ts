import { Module } from '@nestjs/common';
import { DatabaseModule } from '@personae/persistence';
import { SIGNER_MIGRATIONS } from './store/migrations';

/** The signer service: owns the `signer` schema. Its domain arrives with its own issue. */
@Module({
  imports: [DatabaseModule.forService({ schema: 'signer', migrations: SIGNER_MIGRATIONS })],
})
export class SignerModule {}
