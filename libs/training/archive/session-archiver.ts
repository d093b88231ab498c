import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Inject, Injectable, InternalServerErrorException } from '@nestjs/common';
import { InjectDataSource } from '@personae/persistence';
import {
  ENCRYPTED_OBJECT_STORE,
  ObjectIntegrityError,
  ObjectNotFoundError,
  type ObjectStore,
} from '@personae/storage';
import type { DataSource } from 'typeorm';
import { sessionAttachments, timelinePage } from '../store/session.store';
import type { SessionRow } from '../store/session.row';
import { TRAINING_SCHEMA } from '../store/training-schema';
import { ARCHIVE_CONTENT_TYPE, archiveKey, sessionArchive } from './session-archive';

export interface StoredArchive {
  key: string;
  /** SHA-256 (hex) of the plaintext archive: what the `closed` event carries. */
  sha256: string;
  size: number;
}

/**
 * Writes a closing session's archive to the encrypted object store (a fresh AES-256-GCM data key per
 * archive, wrapped by the current key-encryption key; its id is stored so rotated keys still decrypt),
 * and reads it back verified: authenticated decryption, then the digest the `closed` event carries.
 */
@Injectable()
export class SessionArchiver {
  constructor(
    @InjectDataSource(TRAINING_SCHEMA) private readonly dataSource: DataSource,
    @Inject(ENCRYPTED_OBJECT_STORE) private readonly objects: ObjectStore,
  ) {}

  async write(session: SessionRow): Promise<StoredArchive> {
    const db = this.dataSource.manager;
    const attachments = await sessionAttachments(db, session.tenantId, session.id);
    const tar = sessionArchive({
      session,
      attachments,
      timeline: (after, limit) => timelinePage(db, session.tenantId, session.id, after, limit),
      openAttachment: (key) => this.objects.get(key),
    });
    const key = archiveKey(session.tenantId, session.id);
    const { sha256, size } = await this.objects.put(key, Readable.from(tar, { objectMode: false }), {
      contentType: ARCHIVE_CONTENT_TYPE,
      metadata: { session: session.id, events: String(session.lastSequence) },
    });
    return { key, sha256, size };
  }

  /** Decrypts the whole archive once and checks it against the recorded digest; the reason if it fails. */
  async verify(
    session: SessionRow,
  ): Promise<{ ok: true; sha256: string; size: number } | { ok: false; reason: string }> {
    try {
      const { body } = await this.objects.open(session.archiveKey!);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const sha256 = hash.digest('hex');
      if (sha256 !== session.archiveSha256)
        return {
          ok: false,
          reason: `the archive's SHA-256 ${sha256} is not the recorded ${session.archiveSha256}`,
        };
      return { ok: true, sha256, size };
    } catch (error) {
      if (error instanceof ObjectIntegrityError) return { ok: false, reason: error.message };
      if (error instanceof ObjectNotFoundError) return { ok: false, reason: 'the archive object is missing' };
      throw error;
    }
  }

  /** The decrypted archive, verified in full first so a damaged one is refused before a byte is sent. */
  async open(session: SessionRow): Promise<{ body: Readable; size: number; sha256: string }> {
    const verdict = await this.verify(session);
    if (!verdict.ok)
      throw new InternalServerErrorException(
        `the archive of session ${session.id} failed its integrity check: ${verdict.reason}`,
      );
    const { body } = await this.objects.open(session.archiveKey!);
    return { body, size: verdict.size, sha256: verdict.sha256 };
  }
}
