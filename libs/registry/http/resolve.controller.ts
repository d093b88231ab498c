import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { ServerResponse } from 'node:http';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { FastRoute } from '@personae/service-kit';
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
  @FastRoute()
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: ResolvedDto })
  @ApiNotFoundResponse({ description: 'Unknown persona, version or channel' })
  @ApiGoneResponse({ description: 'The version is revoked' })
  async resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('ref') ref: string,
    @Res() response: ServerResponse,
  ): Promise<void> {
    // The runtime's hot path: the answer's immutable bytes are encoded once per version and written
    // as they are; with a content-length and a cork, both parts leave in one writev, nothing copied.
    const [head, tail] = await this.resolveRef.executeAsJson(principal, ref);
    response.statusCode = 200;
    response.setHeader('content-type', 'application/json; charset=utf-8');
    response.setHeader('content-length', head.length + tail.length);
    response.cork();
    response.write(head);
    response.end(tail);
  }
}
