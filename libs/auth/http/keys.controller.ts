import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '../domain/principal';
import { ApiKeyService } from '../keys/api-key.service';
import { CurrentPrincipal, Roles } from './decorators';
import { KeyListDto, MintedKeyDto } from './dto/api-key.dto';
import { MintKeyDto } from './dto/mint-key.dto';

/** Key management for a tenant's admins. An admin only ever sees and touches its own tenant's keys. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth/keys')
@Roles('admin')
// Validated here too, so the endpoint stays strict even if an app forgets the global pipe.
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class KeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: MintedKeyDto })
  mint(@CurrentPrincipal() principal: Principal, @Body() body: MintKeyDto): Promise<MintedKeyDto> {
    return this.keys.mint({
      tenantId: principal.tenantId,
      role: body.role,
      label: body.label,
      createdBy: principal.subject,
    });
  }

  @Get()
  @ApiOkResponse({ type: KeyListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<KeyListDto> {
    return { keys: await this.keys.list(principal.tenantId) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (or already revoked)' })
  @ApiNotFoundResponse({ description: 'No such key in your tenant' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<void> {
    const revoked = await this.keys.revoke(id, principal.tenantId, principal.subject);
    if (!revoked) throw new NotFoundException('API key not found');
  }
}
