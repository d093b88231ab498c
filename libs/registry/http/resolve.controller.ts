import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { ResolveRef } from '../queries/resolve-ref.query';
import { ResolvedDto } from './dto/version.response';
import { READ_ROLES } from './read-roles';

/** `GET /v1/resolve/{name.vN | name@channel}`: the sealed pack, its exact signed bytes and bundle. */
@ApiTags('resolve')
@ApiBearerAuth()
@Controller('v1/resolve')
export class ResolveController {
  constructor(private readonly resolveRef: ResolveRef) {}

  @Get(':ref')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: ResolvedDto })
  @ApiNotFoundResponse({ description: 'Unknown persona, version or channel' })
  @ApiGoneResponse({ description: 'The version is revoked' })
  async resolve(@CurrentPrincipal() principal: Principal, @Param('ref') ref: string): Promise<ResolvedDto> {
    const resolved = await this.resolveRef.execute(principal, ref);
    const { channelHistory, ...rest } = resolved;
    return {
      ...rest,
      pack: resolved.pack as Record<string, unknown>,
      ...(channelHistory ? { channelHistory: channelHistory as unknown as Record<string, unknown> } : {}),
    };
  }
}
