import {
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  NotFoundException,
  Inject,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import { pipeline } from 'node:stream/promises';
import { CurrentPrincipal, Roles, type Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { ALLOWED_MEDIA_TYPES } from '../domain/media-types';
import { findAttachment } from '../store/session.store';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { sessionOf } from '../use-cases/refusals';
import { UploadAttachmentUseCase, type UploadedAttachment } from '../use-cases/upload-attachment.use-case';

/**
 * Files: the body is the file itself (`curl --data-binary @paper.pdf -H 'Content-Type: application/pdf'`),
 * named by `?name=` or a `Content-Disposition: attachment; filename="..."` header. A Content-Disposition
 * header also keeps a JSON file from being parsed as a request body.
 */
@ApiTags('training')
@ApiBearerAuth()
@Controller('v1/persona/train/sessions/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly upload: UploadAttachmentUseCase,
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    @Inject(ENCRYPTED_OBJECT_STORE) private readonly objects: ObjectStore,
  ) {}

  @Post()
  @Roles('trainer')
  @ApiConsumes(...ALLOWED_MEDIA_TYPES)
  @ApiQuery({ name: 'name', required: false, description: 'File name (or a Content-Disposition filename)' })
  add(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('name') name: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Headers('content-disposition') disposition: string | undefined,
    @Headers('content-length') length: string | undefined,
    @Req() request: Request,
  ): Promise<UploadedAttachment> {
    return this.upload.execute(principal, id, {
      fileName: typeof name === 'string' ? name : dispositionFileName(disposition),
      contentType,
      declaredBytes: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
      body: request,
    });
  }

  /** The file as uploaded, decrypted and verified against its digest. */
  @Get(':attachmentId')
  @Roles('trainer', 'auditor')
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res() response: Response,
  ): Promise<void> {
    await sessionOf(this.dataSource.manager, principal, id);
    const attachment = await findAttachment(this.dataSource.manager, principal.tenantId, id, attachmentId);
    if (!attachment)
      throw new NotFoundException(`attachment ${attachmentId} is not in training session ${id}`);
    const { body } = await this.objects.open(attachment.objectKey);
    response.setHeader('content-type', attachment.mediaType);
    response.setHeader('content-length', String(attachment.sizeBytes));
    response.setHeader('x-content-sha256', attachment.sha256);
    response.setHeader(
      'content-disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
    );
    await pipeline(body, response).catch(() => response.destroy());
  }
}

/** filename="x" or filename*=UTF-8''x of a Content-Disposition header. */
function dispositionFileName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      return undefined;
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/i.exec(header)?.[1];
}
