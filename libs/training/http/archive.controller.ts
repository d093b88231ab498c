import { ConflictException, Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { pipeline } from 'node:stream/promises';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { ARCHIVE_CONTENT_TYPE } from '../archive/session-archive';
import { SessionArchiver } from '../archive/session-archiver';
import type { SessionRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { sessionOf } from '../use-cases/refusals';

/** A closed session's encrypted archive, read back by the tenant's trainers and auditors only. */
@ApiTags('training')
@ApiBearerAuth()
@Roles('trainer', 'auditor')
@Controller('v1/persona/train/sessions/:id/archive')
export class ArchiveController {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    private readonly archiver: SessionArchiver,
  ) {}

  /** The decrypted tar (manifest.json, timeline/*.jsonl, attachments/*), verified before it is sent. */
  @Get()
  @ApiProduces(ARCHIVE_CONTENT_TYPE)
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const session = await this.closedSession(principal, id);
    const archive = await this.archiver.open(session);
    response.setHeader('content-type', ARCHIVE_CONTENT_TYPE);
    response.setHeader('content-length', String(archive.size));
    response.setHeader('x-archive-sha256', archive.sha256);
    response.setHeader('content-disposition', `attachment; filename="training-session-${session.id}.tar"`);
    await pipeline(archive.body, response).catch(() => response.destroy());
  }

  /** Decrypts and checks the archive against the digest in the `closed` event; says why when it fails. */
  @Get('verify')
  async verify(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ ok: boolean; sha256?: string; sizeBytes?: number; reason?: string }> {
    const session = await this.closedSession(principal, id);
    const verdict = await this.archiver.verify(session);
    return verdict.ok ? { ok: true, sha256: verdict.sha256, sizeBytes: verdict.size } : verdict;
  }

  private async closedSession(principal: Principal, id: string): Promise<SessionRow> {
    const session = await sessionOf(this.dataSource.manager, principal, id);
    if (session.state !== 'closed' || !session.archiveKey)
      throw new ConflictException(`session ${id} is ${session.state}; it has an archive once closed`);
    return session;
  }
}
