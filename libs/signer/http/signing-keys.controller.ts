import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles, type Principal } from '@personae/auth';
import type { PublicKeyView } from '@personae/sdk';
import { KeyVault } from '../keys/key-vault';
import { KeyIdParams, RevokeKeyDto, RotateKeyDto } from './dto/keys.dto';
import { TenantQueryDto } from './dto/queries.dto';
import { PublicTenant } from './public-tenant';

/** A tenant's pack-signer keys: published for anyone, rotated and revoked by the tenant's admin. */
@ApiTags('signer')
@Controller('v1/signer/keys')
export class SigningKeysController {
  constructor(
    private readonly vault: KeyVault,
    private readonly tenants: PublicTenant,
  ) {}

  // Public: public keys are what anyone needs to verify a seal without an account.
  @Public()
  @Get()
  @ApiOkResponse({
    description: "{ keys }: the tenant's pack-signer keys and the platform log and receipt keys",
  })
  async list(
    @Query() query: TenantQueryDto,
    @Headers('authorization') authorization?: string,
  ): Promise<{ keys: PublicKeyView[] }> {
    return { keys: await this.vault.published(await this.tenants.resolve(query.tenant, authorization)) };
  }

  /** New active pack-signer key for the admin's tenant; the old one is retired and still verifies. */
  @Post('rotate')
  @Roles('admin')
  @ApiBearerAuth()
  rotate(@CurrentPrincipal() admin: Principal, @Body() body: RotateKeyDto): Promise<PublicKeyView> {
    return this.vault.rotate(admin.tenantId, admin.subject, body.reason?.trim());
  }

  /** Every seal the key made is refused from now on. Idempotent; the active key is replaced. */
  @Post(':keyId/revoke')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiNotFoundResponse({ description: 'No such pack-signer key in your tenant' })
  async revoke(
    @CurrentPrincipal() admin: Principal,
    @Param() params: KeyIdParams,
    @Body() body: RevokeKeyDto,
  ): Promise<PublicKeyView> {
    return (await this.vault.revoke(admin.tenantId, params.keyId, admin.subject, body.reason.trim())).key;
  }
}
