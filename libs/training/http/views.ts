import { draftPrompt } from '../domain/draft-prompt';
import type { TimelineEvent } from '../domain/timeline';
import type { AttachmentRow, SessionRow } from '../store/session.row';

export interface SessionView {
  id: string;
  personaName: string;
  baseRef?: string;
  baseDigest?: string;
  mode: 'TRAINING';
  state: SessionRow['state'];
  trainerId: string;
  /** Events recorded so far (the timeline's last sequence). */
  events: number;
  attachments: number;
  model: string;
  /** The system prompt the agent answers with now: the base's plus the trainer's guidance. */
  draftPrompt: string;
  startedAt: string;
  closedAt?: string;
  closedBy?: string;
  closeReason?: string;
  archive?: { key: string; sha256: string; sizeBytes: number };
}

export function sessionView(row: SessionRow): SessionView {
  return {
    id: row.id,
    personaName: row.personaName,
    ...(row.baseRef ? { baseRef: row.baseRef } : {}),
    ...(row.baseDigest ? { baseDigest: row.baseDigest } : {}),
    mode: 'TRAINING',
    state: row.state,
    trainerId: row.trainerId,
    events: row.lastSequence,
    attachments: row.attachmentCount,
    model: row.model.model,
    draftPrompt: draftPrompt(row.basePrompt, row.guidance),
    startedAt: row.startedAt.toISOString(),
    ...(row.closedAt ? { closedAt: row.closedAt.toISOString() } : {}),
    ...(row.closedBy ? { closedBy: row.closedBy } : {}),
    ...(row.closeReason ? { closeReason: row.closeReason } : {}),
    ...(row.archiveKey && row.archiveSha256
      ? { archive: { key: row.archiveKey, sha256: row.archiveSha256, sizeBytes: row.archiveSize ?? 0 } }
      : {}),
  };
}

export interface SessionDetailView {
  session: SessionView;
  timeline: TimelineEvent[];
  /** Pass as `after` for the rest of the timeline; absent when this page reaches its end. */
  nextAfter?: number;
  attachments: AttachmentView[];
}

export interface AttachmentView {
  id: string;
  eventId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

export function attachmentView(row: AttachmentRow): AttachmentView {
  return {
    id: row.id,
    eventId: row.eventId,
    fileName: row.fileName,
    mediaType: row.mediaType,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
  };
}
