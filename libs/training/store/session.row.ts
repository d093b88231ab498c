import type { GuidanceItem } from '../domain/draft-prompt';
import type { Example } from '../domain/conversation-history';
import type { SessionState } from '../domain/session-state';

/** The model a session's agent answers with (the base pack's `models`, or the deployment default). */
export interface SessionModel {
  model: string;
  temperature?: number;
  maxTokens?: number;
  fallbacks: { model: string; temperature?: number; maxTokens?: number }[];
}

/** A row of training.sessions, in camelCase. */
export interface SessionRow {
  id: string;
  tenantId: string;
  trainerId: string;
  personaName: string;
  baseRef: string | null;
  baseDigest: string | null;
  basePrompt: string;
  model: SessionModel;
  examples: Example[];
  guidance: GuidanceItem[];
  state: SessionState;
  lastSequence: number;
  attachmentCount: number;
  startedAt: Date;
  closingAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  closeReason: string | null;
  archiveKey: string | null;
  archiveSha256: string | null;
  archiveSize: number | null;
}

export const SESSION_COLUMNS = `
  id, tenant_id AS "tenantId", trainer_id AS "trainerId", persona_name AS "personaName",
  base_ref AS "baseRef", base_digest AS "baseDigest", base_prompt AS "basePrompt", model, examples,
  guidance, state, last_sequence AS "lastSequence", attachment_count AS "attachmentCount",
  started_at AS "startedAt", closing_at AS "closingAt", closed_at AS "closedAt", closed_by AS "closedBy",
  close_reason AS "closeReason", archive_key AS "archiveKey", archive_sha256 AS "archiveSha256",
  archive_size::float8 AS "archiveSize"`;

/** A row of training.attachments. */
export interface AttachmentRow {
  id: string;
  sessionId: string;
  tenantId: string;
  eventId: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  objectKey: string;
  uploadedBy: string;
  uploadedAt: Date;
}

export const ATTACHMENT_COLUMNS = `
  id, session_id AS "sessionId", tenant_id AS "tenantId", event_id AS "eventId", file_name AS "fileName",
  media_type AS "mediaType", size_bytes::float8 AS "sizeBytes", sha256, object_key AS "objectKey",
  uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"`;
