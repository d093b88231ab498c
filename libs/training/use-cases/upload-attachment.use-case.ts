import { BadRequestException, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Principal } from '@personae/auth';
import { uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import { ENCRYPTED_OBJECT_STORE, type ObjectStore } from '@personae/storage';
import type { DataSource } from 'typeorm';
import { TRAINING_LIMITS } from '../domain/limits';
import { checkFileName, checkMediaType } from '../domain/media-types';
import { TrainingRecorder, type RecordedEvent } from '../events/training.recorder';
import { insertAttachment } from '../store/session.store';
import type { AttachmentRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { allowed, claimSequences, openSessionOf, tooLarge, unsupportedType } from './refusals';
import { ByteLimitTransform } from './byte-limit.transform';

export interface Upload {
  fileName: string | undefined;
  contentType: string | undefined;
  /** Content-Length when the client sent one: refused before reading when over the limit. */
  declaredBytes?: number;
  body: Readable;
}

export type UploadedAttachment = RecordedEvent & Omit<AttachmentRow, 'tenantId' | 'objectKey' | 'eventId'>;

export const attachmentKey = (tenantId: string, sessionId: string, id: string): string =>
  `${tenantId}/training/${sessionId}/attachments/${id}`;

/**
 * Streams a file into the encrypted object store (a fresh data key per object), then records it — row
 * and event in one transaction — referenced by its SHA-256. A refusal after the upload removes the object.
 */
@Injectable()
export class UploadAttachmentUseCase {
  private readonly logger = new Logger('UploadAttachment');

  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    @Inject(ENCRYPTED_OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly recorder: TrainingRecorder,
  ) {}

  async execute(principal: Principal, sessionId: string, upload: Upload): Promise<UploadedAttachment> {
    const fileName = allowed(checkFileName(upload.fileName), 'name');
    const media = checkMediaType(upload.contentType);
    if (!media.ok) throw unsupportedType(media.reason);
    const limit = TRAINING_LIMITS.attachmentBytes;
    if (upload.declaredBytes !== undefined && upload.declaredBytes > limit)
      throw tooLarge(
        'file',
        `a file is at most ${limit} bytes (Content-Length says ${upload.declaredBytes})`,
      );
    const session = await openSessionOf(this.dataSource.manager, principal, sessionId);
    if (session.attachmentCount >= TRAINING_LIMITS.attachmentsPerSession)
      throw tooManyAttachments(session.id);

    const id = uuidv7();
    const objectKey = attachmentKey(principal.tenantId, session.id, id);
    const limiter = new ByteLimitTransform(limit);
    upload.body.on('error', (error) => limiter.destroy(error));
    let stored: { size: number; sha256: string };
    try {
      stored = await this.objects.put(objectKey, upload.body.pipe(limiter), {
        contentType: media.value,
        metadata: { session: session.id },
      });
    } catch (error) {
      await this.discard(objectKey);
      if (limiter.exceeded) throw tooLarge('file', `a file is at most ${limit} bytes`);
      throw error;
    }
    if (stored.size === 0) {
      await this.discard(objectKey);
      throw new BadRequestException({
        message: 'file: the file is empty',
        errors: [{ field: 'file', reason: 'the file is empty' }],
      });
    }
    try {
      return await this.record(principal, session.id, {
        id,
        fileName,
        mediaType: media.value,
        objectKey,
        ...stored,
      });
    } catch (error) {
      await this.discard(objectKey);
      throw error;
    }
  }

  private record(
    principal: Principal,
    sessionId: string,
    file: {
      id: string;
      fileName: string;
      mediaType: string;
      objectKey: string;
      size: number;
      sha256: string;
    },
  ): Promise<UploadedAttachment> {
    return this.dataSource.transaction(async (manager) => {
      const { session, firstSequence } = await claimSequences(manager, principal, sessionId, 1, 1);
      if (session.attachmentCount > TRAINING_LIMITS.attachmentsPerSession)
        throw tooManyAttachments(session.id);
      const [event] = await this.recorder.record(manager, principal, session, firstSequence, [
        {
          topic: 'training.attachments',
          payload: (sequence) => ({
            event: {
              case: 'uploaded',
              value: {
                attachmentId: file.id,
                fileName: file.fileName,
                mediaType: file.mediaType,
                sizeBytes: BigInt(file.size),
                sha256: file.sha256,
                objectKey: file.objectKey,
                sequence,
              },
            },
          }),
        },
      ]);
      const row: AttachmentRow = {
        id: file.id,
        sessionId: session.id,
        tenantId: session.tenantId,
        eventId: event!.id,
        fileName: file.fileName,
        mediaType: file.mediaType,
        sizeBytes: file.size,
        sha256: file.sha256,
        objectKey: file.objectKey,
        uploadedBy: principal.subject,
        uploadedAt: new Date(),
      };
      await insertAttachment(manager, row);
      const { tenantId: _tenant, objectKey: _key, eventId: _event, ...view } = row;
      return { ...event!, ...view };
    });
  }

  private async discard(key: string): Promise<void> {
    await this.objects
      .delete(key)
      .catch((error: unknown) =>
        this.logger.warn(`could not remove the refused upload ${key}: ${String(error)}`),
      );
  }
}

function tooManyAttachments(sessionId: string): ConflictException {
  return new ConflictException(
    `session ${sessionId} already has ${TRAINING_LIMITS.attachmentsPerSession} attachments, the most a session keeps`,
  );
}
