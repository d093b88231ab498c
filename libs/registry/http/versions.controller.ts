import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { serializePack, validatePack } from '@personae/pack';
import type { Response } from 'express';
import { versionRef } from '../domain/persona-ref';
import { VersionQueries } from '../queries/versions.query';
import { DeprecateVersion } from '../use-cases/deprecate-version.use-case';
import { RevokeVersion } from '../use-cases/revoke-version.use-case';
import { BearerToken } from './bearer-token.decorator';
import { sendDocument } from './drafts.controller';
import { ExportQueryDto, ReasonDto } from './dto/persona-requests.dto';
import { VersionDto, VersionListDto, VersionSummaryDto } from './dto/version.response';
import { READ_ROLES } from './read-roles';
import { PersonaNamePipe, VersionNumberPipe } from './route-params';
import { versionSummary, versionView } from './views';

/** Sealed versions: list, read, export, deprecate, revoke. */
@ApiTags('versions')
@ApiBearerAuth()
@Controller('v1/personas/:name/versions')
export class VersionsController {
  constructor(
    private readonly versions: VersionQueries,
    private readonly deprecateVersion: DeprecateVersion,
    private readonly revokeVersion: RevokeVersion,
  ) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: VersionListDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
  ): Promise<VersionListDto> {
    return { versions: (await this.versions.list(principal, name)).map(versionSummary) };
  }

  @Get(':version')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: VersionDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Param('version', VersionNumberPipe) version: number,
  ): Promise<VersionDto> {
    return versionView(await this.versions.get(principal, name, version));
  }

  @Get(':version/export')
  @Roles(...READ_ROLES)
  @ApiProduces('application/yaml', 'application/json')
  @ApiOkResponse({ description: 'The sealed pack as a `.persona.yaml` (or JSON) document' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Param('version', VersionNumberPipe) version: number,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const found = await this.versions.get(principal, name, version);
    const pack = validatePack(JSON.parse(found.canonical));
    return sendDocument(
      response,
      versionRef(name, version),
      serializePack(pack, query.format ?? 'yaml'),
      query.format,
    );
  }

  @Post(':version/deprecate')
  @HttpCode(200)
  @Roles('signer')
  @ApiOkResponse({ type: VersionSummaryDto })
  async deprecate(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Param('version', VersionNumberPipe) version: number,
    @Body() body: ReasonDto,
  ): Promise<VersionSummaryDto> {
    return versionSummary(await this.deprecateVersion.execute(principal, name, version, body.reason));
  }

  @Post(':version/revoke')
  @HttpCode(200)
  @Roles('signer')
  @ApiOkResponse({ type: VersionSummaryDto, description: 'Revoked here and in the signer’s trust root' })
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @BearerToken() token: string,
    @Param('name', PersonaNamePipe) name: string,
    @Param('version', VersionNumberPipe) version: number,
    @Body() body: ReasonDto,
  ): Promise<VersionSummaryDto> {
    return versionSummary(await this.revokeVersion.execute(principal, token, name, version, body.reason));
  }
}
