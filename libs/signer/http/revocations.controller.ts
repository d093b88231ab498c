import { Body, Controller, Get, Headers, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Public, Roles, type Principal } from '@personae/auth';
import type { RevokedVersionView } from '@personae/sdk';
import { RevokeVersionUseCase } from '../use-cases/revoke-version.use-case';
import { VerificationMaterialQuery } from '../use-cases/verification-material.query';
import { TenantQueryDto } from './dto/queries.dto';
import { RevokeVersionDto } from './dto/revoke-version.dto';
import { PublicTenant } from './public-tenant';

@ApiTags('signer')
@Controller('v1/signer/revocations')
export class RevocationsController {
  constructor(
    private readonly revokeVersion: RevokeVersionUseCase,
    private readonly material: VerificationMaterialQuery,
    private readonly tenants: PublicTenant,
  ) {}

  /** 201 when revoked now, 200 when the version was already revoked (the first record stands). */
  @Post()
  @Roles('signer')
  @ApiBearerAuth()
  @ApiCreatedResponse({ description: 'The revocation' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RevokeVersionDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<RevokedVersionView> {
    const { revocation, created } = await this.revokeVersion.execute(principal, body);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return revocation;
  }

  // Public: a verifier (the runtime, or anyone holding a pack) must be able to learn that a
  // version was withdrawn without an account. Per tenant, like the keys it complements.
  @Public()
  @Get()
  @ApiOkResponse({ description: "{ revocations }: the tenant's revoked versions" })
  async list(
    @Query() query: TenantQueryDto,
    @Headers('authorization') authorization?: string,
  ): Promise<{ revocations: RevokedVersionView[] }> {
    return {
      revocations: await this.material.revocationsOf(await this.tenants.resolve(query.tenant, authorization)),
    };
  }
}
