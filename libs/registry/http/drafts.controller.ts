import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { serializePack, validatePack } from '@personae/pack';
import type { Response } from 'express';
import { DraftQueries } from '../queries/drafts.query';
import { CreateDraft } from '../use-cases/create-draft.use-case';
import { DeleteDraft } from '../use-cases/delete-draft.use-case';
import { UpdateDraft } from '../use-cases/update-draft.use-case';
import { CreateDraftDto, UpdateDraftDto } from './dto/draft-requests.dto';
import { DraftDto, DraftPageDto } from './dto/draft.response';
import { ExportQueryDto, ListDraftsQueryDto } from './dto/persona-requests.dto';
import { importedPack } from './import-document';
import { PackErrorsInterceptor } from './pack-errors.interceptor';
import { READ_ROLES } from './read-roles';
import { draftSummary, draftView } from './views';
import { YAML_CONTENT_TYPES } from './yaml-body.middleware';

/** Drafts: create, import, list and search, read, edit, delete, export. */
@ApiTags('personas')
@ApiBearerAuth()
@Controller('v1/personas')
@UseInterceptors(PackErrorsInterceptor)
export class DraftsController {
  constructor(
    private readonly create: CreateDraft,
    private readonly update: UpdateDraft,
    private readonly remove: DeleteDraft,
    private readonly drafts: DraftQueries,
  ) {}

  @Post('drafts')
  @Roles('trainer')
  @ApiCreatedResponse({ type: DraftDto })
  async createDraft(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateDraftDto,
  ): Promise<DraftDto> {
    const pack = validatePack(body.pack);
    return draftView(await this.create.execute(principal, { ...body, pack }));
  }

  @Post('import')
  @Roles('trainer')
  @ApiConsumes(...YAML_CONTENT_TYPES, 'application/json')
  @ApiBody({ description: 'A `.persona.yaml` document, or the pack as JSON', schema: { type: 'string' } })
  @ApiCreatedResponse({ type: DraftDto, description: 'A new draft holding the imported pack' })
  async importDraft(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<DraftDto> {
    return draftView(await this.create.execute(principal, { pack: importedPack(body) }));
  }

  @Get('drafts')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: DraftPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListDraftsQueryDto,
  ): Promise<DraftPageDto> {
    const page = await this.drafts.list(principal, {
      q: query.q,
      tags: query.tag,
      capabilities: query.capability,
      category: query.category,
      createdBy: query.createdBy,
      state: query.state,
      name: query.name,
      limit: query.limit ?? 20,
      offset: query.offset ?? 0,
    });
    return { ...page, items: page.items.map(({ draft, rank }) => draftSummary(draft, rank)) };
  }

  @Get('drafts/:id')
  @Roles(...READ_ROLES)
  @ApiOkResponse({ type: DraftDto })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DraftDto> {
    const { draft, reviews } = await this.drafts.get(principal, id);
    return draftView(draft, reviews);
  }

  @Put('drafts/:id')
  @Roles('trainer')
  @ApiOkResponse({ type: DraftDto, description: 'Back in state draft; approvals voided' })
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateDraftDto,
  ): Promise<DraftDto> {
    return draftView(await this.update.execute(principal, id, validatePack(body.pack)));
  }

  @Delete('drafts/:id')
  @Roles('trainer')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (sealed drafts cannot be)' })
  async delete(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.remove.execute(principal, id);
  }

  @Get('drafts/:id/export')
  @Roles(...READ_ROLES)
  @ApiProduces('application/yaml', 'application/json')
  @ApiOkResponse({ description: 'The pack as a `.persona.yaml` (or JSON) document' })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const { draft } = await this.drafts.get(principal, id);
    return sendDocument(
      response,
      draft.personaName,
      serializePack(draft.pack, query.format ?? 'yaml'),
      query.format,
    );
  }
}

/** Sets the document's type and file name; the body is the serialized pack. */
export function sendDocument(
  response: Response,
  fileName: string,
  document: string,
  format: 'yaml' | 'json' = 'yaml',
): string {
  response.setHeader('content-type', `application/${format}; charset=utf-8`);
  response.setHeader('content-disposition', `attachment; filename="${fileName}.persona.${format}"`);
  return document;
}
