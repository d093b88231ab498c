import type { Readable } from 'node:stream';
import { canonicalize } from '@personae/crypto';
import type { TimelineEvent } from '../domain/timeline';
import type { AttachmentRow, SessionRow } from '../store/session.row';
import { TAR_END, tarHeader, tarPadding } from './tar';

export const ARCHIVE_FORMAT = 'personae.training-archive/v1';
export const ARCHIVE_CONTENT_TYPE = 'application/x-tar';
/** Events per timeline file: one file is built in memory at a time. */
export const EVENTS_PER_PAGE = 1000;

export const archiveKey = (tenantId: string, sessionId: string): string =>
  `${tenantId}/training/${sessionId}/archive.tar`;

export interface ArchiveSource {
  /** The session as it was marked closing: its last sequence is the last event archived. */
  session: SessionRow;
  attachments: AttachmentRow[];
  /** Events with sequence > after, in order, at most `limit`. */
  timeline(after: number, limit: number): Promise<TimelineEvent[]>;
  /** An attachment's plaintext (verified by the store at its end). */
  openAttachment(key: string): Promise<Readable>;
}

/** What `manifest.json` (the archive's first entry) says. */
export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  session: {
    id: string;
    tenantId: string;
    trainerId: string;
    personaName: string;
    baseRef: string | null;
    baseDigest: string | null;
    mode: 'TRAINING';
    startedAt: string;
  };
  events: number;
  timeline: string[];
  attachments: {
    id: string;
    eventId: string;
    fileName: string;
    mediaType: string;
    sizeBytes: number;
    sha256: string;
    path: string;
  }[];
}

/**
 * The whole session as a ustar stream: `manifest.json`, the timeline as canonical JSON lines in
 * `timeline/NNNNN.jsonl` pages, then every attachment's bytes under `attachments/<id>`. Deterministic:
 * the same session always gives the same bytes (so a retried close gives the same digest).
 */
export async function* sessionArchive(source: ArchiveSource): AsyncGenerator<Buffer> {
  const { session } = source;
  const mtime = Math.floor(session.startedAt.getTime() / 1000);
  const events = session.lastSequence;
  const pages = Math.ceil(events / EVENTS_PER_PAGE);
  const pageName = (page: number): string => `timeline/${String(page + 1).padStart(5, '0')}.jsonl`;
  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    session: {
      id: session.id,
      tenantId: session.tenantId,
      trainerId: session.trainerId,
      personaName: session.personaName,
      baseRef: session.baseRef,
      baseDigest: session.baseDigest,
      mode: 'TRAINING',
      startedAt: session.startedAt.toISOString(),
    },
    events,
    timeline: Array.from({ length: pages }, (_, page) => pageName(page)),
    attachments: source.attachments.map((a) => ({
      id: a.id,
      eventId: a.eventId,
      fileName: a.fileName,
      mediaType: a.mediaType,
      sizeBytes: a.sizeBytes,
      sha256: a.sha256,
      path: `attachments/${a.id}`,
    })),
  };
  yield* file('manifest.json', Buffer.from(canonicalize(manifest), 'utf8'), mtime);

  let after = 0;
  for (let page = 0; page < pages; page++) {
    const last = Math.min(events, after + EVENTS_PER_PAGE);
    const batch = await source.timeline(after, last - after);
    if (batch.length !== last - after || batch.at(-1)?.sequence !== last)
      throw new Error(`timeline of session ${session.id} has a gap after sequence ${after}`);
    const text = batch.map((event) => `${canonicalize(event)}\n`).join('');
    yield* file(pageName(page), Buffer.from(text, 'utf8'), mtime);
    after = last;
  }

  for (const attachment of source.attachments) {
    yield tarHeader(`attachments/${attachment.id}`, attachment.sizeBytes, mtime);
    let size = 0;
    for await (const chunk of await source.openAttachment(attachment.objectKey)) {
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (size !== attachment.sizeBytes)
      throw new Error(`attachment ${attachment.id} has ${size} bytes, ${attachment.sizeBytes} recorded`);
    yield tarPadding(size);
  }
  yield TAR_END;
}

function* file(name: string, content: Buffer, mtime: number): Generator<Buffer> {
  yield tarHeader(name, content.length, mtime);
  yield content;
  yield tarPadding(content.length);
}
