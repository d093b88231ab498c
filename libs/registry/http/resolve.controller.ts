import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('ref') ref: string,
    @Res() response: Response,
  ): Promise<void> {
    // The runtime's hot path: the answer's immutable bytes are serialized once per version.
    const body = await this.resolveRef.executeAsJson(principal, ref);
    response.status(200).setHeader('content-type', 'application/json; charset=utf-8').end(body);
  }
}
