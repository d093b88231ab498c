import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import type { Request } from 'express';
import { KnowledgeRefusal } from '../domain/knowledge-refusal';
import {
  documentProblems,
  type IngestedSnapshot,
  type SearchHit,
  type SnapshotSummary,
} from '../domain/snapshot';
import type { ManifestEntry } from '../domain/snapshot-manifest';
import { KnowledgeService } from '../knowledge.service';
import { SnapshotQueries } from '../use-cases/snapshots.query';
import {
  CreateSnapshotDto,
  ManifestQueryDto,
  SearchSnapshotDto,
  UploadSnapshotQueryDto,
} from './dto/knowledge-requests.dto';
import { httpError, SnapshotIdPipe } from './knowledge-errors';

/** Largest streamed upload: chunked as it arrives, so memory stays bounded; the limit bounds time and disk. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;
const UPLOAD_TYPES = ['text/plain', 'text/markdown', 'application/octet-stream'];
const READ_ROLES = ['orchestrator', 'trainer', 'reviewer'] as const;

/** Knowledge snapshots: create (JSON documents or one streamed upload), read the manifest, search. */
@ApiTags('knowledge')
@ApiBearerAuth()
@Controller('v1/knowledge/snapshots')
export class KnowledgeController {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly snapshots: SnapshotQueries,
  ) {}

  @Post()
  @Roles('trainer', 'admin')
  @ApiCreatedResponse({
    description: 'The sealed snapshot: id, manifest digest, chunk count and the pack ref',
  })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateSnapshotDto,
  ): Promise<IngestedSnapshot> {
    return this.guard(
      this.knowledge.ingestSnapshot({
        tenantId: principal.tenantId,
        createdBy: principal.subject,
        label: body.label,
        documents: body.documents.map((d) => ({ source: d.source, tags: d.tags, text: d.text })),
      }),
    );
  }

  @Post('upload')
  @Roles('trainer', 'admin')
  @ApiConsumes(...UPLOAD_TYPES)
  @ApiCreatedResponse({ description: 'One document streamed as the body (UTF-8), chunked as it arrives' })
  async upload(
    @CurrentPrincipal() principal: Principal,
    @Query() query: UploadSnapshotQueryDto,
    @Req() request: Request,
  ): Promise<IngestedSnapshot> {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!UPLOAD_TYPES.includes(type))
      throw httpError(
        new KnowledgeRefusal('input', 'content-type', `must be one of ${UPLOAD_TYPES.join(', ')}`),
      );
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > MAX_UPLOAD_BYTES)
      throw httpError(new KnowledgeRefusal('too-large', 'body', `exceeds ${MAX_UPLOAD_BYTES} bytes`));
    const tags = query.tags
      ? query.tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : undefined;
    const problems = documentProblems(query.source, tags);
    if (problems.length > 0)
      throw httpError(new KnowledgeRefusal('input', problems[0]!.field, problems[0]!.reason));
    return this.guard(
      this.knowledge.ingestSnapshot({
        tenantId: principal.tenantId,
        createdBy: principal.subject,
        label: query.label,
        documents: [{ source: query.source, tags, text: limited(request, MAX_UPLOAD_BYTES) }],
      }),
    );
  }

  @Get(':id')
  @Roles(...READ_ROLES, 'admin')
  @ApiOkResponse({ description: 'State, embedder, manifest digest and counts' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SnapshotIdPipe) id: string,
  ): Promise<SnapshotSummary> {
    return this.guard(this.snapshots.get(principal.tenantId, id));
  }

  @Get(':id/manifest')
  @Roles(...READ_ROLES, 'admin')
  @ApiOkResponse({ description: 'The manifest in id order, a page at a time: `{ snapshot, entries, next }`' })
  async manifest(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SnapshotIdPipe) id: string,
    @Query() query: ManifestQueryDto,
  ): Promise<{ snapshot: SnapshotSummary; entries: ManifestEntry[]; next: string | null }> {
    return this.guard(
      this.snapshots.manifest(principal.tenantId, id, query.after ?? '', query.limit ?? 1000),
    );
  }

  @Post(':id/search')
  @HttpCode(200)
  @Roles(...READ_ROLES)
  @ApiOkResponse({ description: '`{ hits: [{ chunkId, score, text, source, tags, ordinal }] }`, best first' })
  async search(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SnapshotIdPipe) id: string,
    @Body() body: SearchSnapshotDto,
  ): Promise<{ hits: SearchHit[] }> {
    const hits = await this.guard(
      this.knowledge.searchSnapshot(id, body.query, body.k ?? 5, {
        tenantId: principal.tenantId,
        filter: body.filter ? { sources: body.filter.sources, tags: body.filter.tags } : undefined,
      }),
    );
    return { hits };
  }

  private async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      throw httpError(error);
    }
  }
}

/** The request body, refused past `max` bytes (whatever Content-Length claimed). */
async function* limited(request: Request, max: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const piece of request as AsyncIterable<Buffer>) {
    total += piece.byteLength;
    if (total > max) throw new KnowledgeRefusal('too-large', 'body', `exceeds ${max} bytes`);
    yield piece;
  }
}
