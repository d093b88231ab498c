import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import type { TrustedIdentityView } from '@personae/sdk';
import { ManageIdentitiesUseCase } from '../use-cases/manage-identities.use-case';
import { RegisterIdentityDto } from './dto/identity.dto';

/** Trusted signer identities of the admin's own tenant. */
@ApiTags('signer')
@ApiBearerAuth()
@Controller('v1/signer/identities')
@Roles('admin')
export class IdentitiesController {
  constructor(private readonly identities: ManageIdentitiesUseCase) {}

  @Post()
  @ApiCreatedResponse({ description: 'The registered identity' })
  @ApiConflictResponse({ description: 'The subject is already registered in this tenant' })
  register(
    @CurrentPrincipal() admin: Principal,
    @Body() body: RegisterIdentityDto,
  ): Promise<TrustedIdentityView> {
    return this.identities.register(admin, body);
  }

  @Get()
  async list(@CurrentPrincipal() admin: Principal): Promise<{ identities: TrustedIdentityView[] }> {
    return { identities: await this.identities.list(admin) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed (or already removed): it can no longer seal' })
  @ApiNotFoundResponse({ description: 'No such identity in your tenant' })
  remove(@CurrentPrincipal() admin: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.identities.remove(admin, id);
  }
}
