import { versionRef } from '../domain/persona-ref';
import type { ChannelState } from '../queries/channels.query';
import type { PersonaSummary } from '../queries/personas.query';
import type { DraftEntity } from '../store/draft.entity';
import type { ReviewEntity } from '../store/review.entity';
import type { VersionEntity } from '../store/version.entity';
import type { DraftDto, DraftSummaryDto, ReviewDto } from './dto/draft.response';
import type { ChannelDto, PersonaDto, VersionDto, VersionSummaryDto } from './dto/version.response';

/** Entities → JSON answers. Absent values are left out rather than sent as null. */
export function draftSummary(draft: DraftEntity, rank?: number): DraftSummaryDto {
  const { metadata, spec } = draft.pack;
  return {
    id: draft.id,
    personaName: draft.personaName,
    state: draft.state,
    displayName: metadata.displayName,
    description: metadata.description,
    category: metadata.category,
    tags: metadata.tags,
    capabilities: spec.capabilities,
    digest: draft.packDigest,
    authorId: draft.authorId,
    trainerIds: draft.trainerIds,
    ...(draft.sessionId ? { sessionId: draft.sessionId } : {}),
    requiredApprovals: draft.requiredApprovals,
    approvals: draft.approvals,
    ...(draft.version ? { version: draft.version } : {}),
    ...(rank === undefined ? {} : { rank }),
    createdAt: draft.createdAt.toISOString(),
    updatedAt: draft.updatedAt.toISOString(),
  };
}

export function draftView(draft: DraftEntity, reviews: ReviewEntity[] = []): DraftDto {
  return {
    ...draftSummary(draft),
    pack: draft.pack,
    reviews: reviews.map(reviewView),
  };
}

function reviewView(review: ReviewEntity): ReviewDto {
  return {
    id: review.id,
    reviewerId: review.reviewerId,
    verdict: review.verdict,
    comment: review.comment,
    at: review.at.toISOString(),
  };
}

export function versionSummary(version: VersionEntity): VersionSummaryDto {
  return {
    name: version.personaName,
    version: version.version,
    ref: versionRef(version.personaName, version.version),
    digest: version.digest,
    state: version.state,
    ...(version.stateReason ? { stateReason: version.stateReason } : {}),
    ...(version.stateChangedBy ? { stateChangedBy: version.stateChangedBy } : {}),
    ...(version.stateChangedAt ? { stateChangedAt: version.stateChangedAt.toISOString() } : {}),
    keyId: version.keyId,
    logIndex: version.logIndex,
    approvals: version.approvals,
    draftId: version.draftId,
    sealedBy: version.sealedBy,
    sealedAt: version.sealedAt.toISOString(),
  };
}

export function versionView(version: VersionEntity): VersionDto {
  return {
    ...versionSummary(version),
    pack: JSON.parse(version.canonical) as Record<string, unknown>,
    canonical: version.canonical,
    bundle: version.bundle,
    governanceReport: version.governanceReport as unknown as Record<string, unknown>,
  };
}

export function channelView(state: ChannelState): ChannelDto {
  return {
    channel: state.channel,
    ...(state.current
      ? {
          version: state.current.version,
          updatedBy: state.current.updatedBy,
          updatedAt: state.current.updatedAt.toISOString(),
        }
      : {}),
    history: state.history.map((move) => ({
      seq: Number(move.seq),
      action: move.action,
      version: move.version,
      ...(move.previousVersion ? { previousVersion: move.previousVersion } : {}),
      by: move.by,
      at: move.at.toISOString(),
      reason: move.reason,
    })),
  };
}

export function personaView(summary: PersonaSummary): PersonaDto {
  const { persona } = summary;
  return {
    name: persona.name,
    createdBy: persona.createdBy,
    ...(persona.forkedFrom ? { forkedFrom: persona.forkedFrom } : {}),
    createdAt: persona.createdAt.toISOString(),
    ...(summary.latestVersion ? { latestVersion: summary.latestVersion } : {}),
    drafts: summary.drafts,
  };
}
