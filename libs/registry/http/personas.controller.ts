import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { PageQueryDto } from '@personae/service-kit';
import { DiffQuery } from '../queries/diff.query';
import { PersonaQueries } from '../queries/personas.query';
import { ClonePersona } from '../use-cases/clone-persona.use-case';
import { DraftDto } from './dto/draft.response';
import { CloneDto, DiffQueryDto } from './dto/persona-requests.dto';
import { DiffDto, PersonaDto, PersonaPageDto } from './dto/version.response';
import { PackErrorsInterceptor } from './pack-errors.interceptor';
import { READ_ROLES } from './read-roles';
import { PersonaNamePipe } from './route-params';
import { draftView, personaView } from './views';

/** Personas: the catalogue, one persona, clone, diff. */
@ApiTags('personas')
@ApiBearerAuth()
@Controller('v1/personas')
@UseInterceptors(PackErrorsInterceptor)
export class PersonasController {
  constructor(
    private readonly personas: PersonaQueries,
    private readonly clonePersona: ClonePersona,
    private readonly diff: DiffQuery,
  ) {}

  @Get()
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: PersonaPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PageQueryDto,
  ): Promise<PersonaPageDto> {
    const page = await this.personas.list(principal, query.limit ?? 20, query.offset ?? 0);
    return { ...page, items: page.items.map(personaView) };
  }

  @Get(':name')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: PersonaDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
  ): Promise<PersonaDto> {
    return personaView(await this.personas.get(principal, name));
  }

  @Post(':name/clone')
  @Roles('trainer')
  @ApiCreatedResponse({ type: DraftDto, description: 'A draft of the new persona, metadata.forkedFrom set' })
  async clone(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Body() body: CloneDto,
  ): Promise<DraftDto> {
    return draftView(await this.clonePersona.execute(principal, name, body.newName, body.version));
  }

  @Get(':name/diff')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: DiffDto })
  async diffOf(
    @CurrentPrincipal() principal: Principal,
    @Param('name', PersonaNamePipe) name: string,
    @Query() query: DiffQueryDto,
  ): Promise<DiffDto> {
    const diff = await this.diff.execute(principal, name, query.from, query.to);
    return { ...diff, changes: diff.changes as unknown as Record<string, unknown>[] };
  }
}
