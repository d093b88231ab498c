import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { parseEntryFilter, type RawEntryQuery } from '../domain/entry-filter';
import type { EntryView } from '../domain/entry-view';
import { LEDGER_TOPICS } from '../events/ledger.consumer';
import { LineageQuery, type Lineage } from '../use-cases/lineage.query';
import { QueryEntries, type EntryPage } from '../use-cases/query-entries.query';
import { RevealPii, type RevealedPii } from '../use-cases/reveal-pii.use-case';
import { orBadRequest, positionParam, queryStrings } from './query-params';

const FILTERS = [
  'persona',
  'session',
  'actor',
  'type',
  'decision',
  'override',
  'correlation',
  'from',
  'to',
  'cursor',
  'limit',
];

/** The auditor's questions, always within the caller's tenant. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditEntriesController {
  constructor(
    private readonly entries: QueryEntries,
    private readonly lineage: LineageQuery,
    private readonly pii: RevealPii,
  ) {}

  @Get('entries')
  @Roles('auditor')
  @ApiOperation({
    summary: 'Ledger entries matching every filter given, in position order, cursor-paginated',
  })
  @ApiQuery({ name: 'persona', required: false, description: 'name (any version) or name.vN' })
  @ApiQuery({ name: 'session', required: false })
  @ApiQuery({ name: 'actor', required: false, description: 'trainer / actor id' })
  @ApiQuery({ name: 'type', required: false, description: 'topic or event type' })
  @ApiQuery({ name: 'decision', required: false, enum: ['allow', 'deny', 'require_approval'] })
  @ApiQuery({ name: 'override', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'correlation', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601: recorded by the ledger at or after' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601: recorded by the ledger at or before' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiOkResponse({ description: '{ entries: [{ position, hash, entry }], nextCursor }' })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<EntryPage> {
    const raw = queryStrings(query, FILTERS) as RawEntryQuery;
    return this.entries.page(principal.tenantId, orBadRequest(parseEntryFilter(raw, LEDGER_TOPICS)));
  }

  @Get('entries/:position')
  @Roles('auditor')
  @ApiOkResponse({ description: '{ position, hash, entry }' })
  async one(
    @CurrentPrincipal() principal: Principal,
    @Param('position') position: string,
  ): Promise<EntryView> {
    const view = await this.entries.at(principal.tenantId, positionParam(position));
    if (!view) throw new NotFoundException(`no entry ${position} in this tenant's ledger`);
    return view;
  }

  @Get('entries/:position/pii')
  @Roles('auditor')
  @ApiOperation({ summary: "An entry's PII fields decrypted, each checked against its chained commitment" })
  reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('position') position: string,
  ): Promise<RevealedPii> {
    return this.pii.execute(principal.tenantId, positionParam(position));
  }

  @Get('sessions/:sessionId/timeline')
  @Roles('auditor')
  @ApiOperation({ summary: "A session's full timeline: every entry recorded for it, by time of occurrence" })
  timeline(
    @CurrentPrincipal() principal: Principal,
    @Param('sessionId') sessionId: string,
    @Query() query: Record<string, unknown>,
  ): Promise<EntryPage> {
    const raw = queryStrings(query, ['cursor', 'limit']);
    return this.entries.page(
      principal.tenantId,
      orBadRequest(parseEntryFilter({ ...raw, session: sessionId }, LEDGER_TOPICS, 'time')),
    );
  }

  @Get('lineage/executions/:executionId')
  @Roles('auditor')
  @ApiOperation({
    summary:
      'Which persona version served this execution, and which training sessions (and trainers) produced it',
  })
  executionLineage(
    @CurrentPrincipal() principal: Principal,
    @Param('executionId') executionId: string,
  ): Promise<Lineage> {
    if (executionId.length > 200)
      orBadRequest({ ok: false, field: 'executionId', reason: 'at most 200 characters' });
    return this.lineage.forExecution(principal.tenantId, executionId);
  }
}
