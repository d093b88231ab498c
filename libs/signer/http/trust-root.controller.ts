import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@personae/auth';
import type { TrustRoot } from '@personae/sdk';
import { VerificationMaterialQuery } from '../use-cases/verification-material.query';
import { TenantQueryDto } from './dto/queries.dto';
import { PublicTenant } from './public-tenant';

@ApiTags('signer')
@Controller('v1/signer/trust-root')
export class TrustRootController {
  constructor(
    private readonly material: VerificationMaterialQuery,
    private readonly tenants: PublicTenant,
  ) {}

  // Public: the trust root (public keys, log key, signed checkpoint, revoked versions) is exactly
  // what anyone needs to verify a sealed pack offline, without an account.
  @Public()
  @Get()
  @ApiOkResponse({ description: "The tenant's verification input for verifySealedPack" })
  async get(
    @Query() query: TenantQueryDto,
    @Headers('authorization') authorization?: string,
  ): Promise<TrustRoot> {
    return this.material.trustRoot(await this.tenants.resolve(query.tenant, authorization));
  }
}
