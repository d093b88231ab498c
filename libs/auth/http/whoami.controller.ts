import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../domain/principal';
import { CurrentPrincipal } from './decorators';
import { PrincipalDto } from './dto/api-key.dto';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/auth/whoami')
export class WhoamiController {
  /** Any authenticated principal: who the server thinks you are. */
  @Get()
  @ApiOkResponse({ type: PrincipalDto })
  whoami(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return principal;
  }
}
