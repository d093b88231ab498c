import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource, PreparedQueries } from '@personae/persistence';
import type { ChannelHistory } from '@personae/trust';
import type { DataSource } from 'typeorm';
import { channelHistoryOf } from '../domain/channels';
import type { VersionState } from '../domain/lifecycle';
import { parsePersonaRef, versionRef } from '../domain/persona-ref';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { allowed } from '../use-cases/refusals';
import { SealedContentCache, sealedContentOf, type SealedContent } from './sealed-content.cache';

/** Everything a runtime needs to verify and run a sealed version, in one answer. */
export interface ResolvedRef {
  ref: string;
  name: string;
  version: number;
  digest: string;
  /** The pack, parsed from `canonical`. */
  pack: unknown;
  /** The exact RFC 8785 text that was signed: verify these bytes, not a re-serialization. */
  canonical: string;
  bundle: Record<string, unknown>;
  state: VersionState;
  channel?: string;
  /** For `name@channel`: what the channel served and its rollbacks, for verifySealedPack's downgrade check. */
  channelHistory?: ChannelHistory;
}

/** One round trip for what may change: the channel's version, the version's state, the channel's moves. */
const RESOLVE_FACTS_SQL = `
  WITH target AS (
    SELECT CASE WHEN $3::text IS NULL THEN $4::int
                ELSE (SELECT c.version FROM registry.channels c
                       WHERE c.tenant_id = $1 AND c.persona_name = $2 AND c.channel = $3) END AS version
  )
  SELECT target.version AS target_version, v.state, v.state_reason, v.digest,
         CASE WHEN $3::text IS NULL THEN NULL ELSE (
           SELECT coalesce(json_agg(json_build_object('seq', h.seq, 'action', h.action, 'version', h.version,
                                                      'by', h.by, 'reason', h.reason) ORDER BY h.seq), '[]'::json)
             FROM registry.channel_history h
            WHERE h.tenant_id = $1 AND h.persona_name = $2 AND h.channel = $3) END AS moves
    FROM target
    LEFT JOIN registry.versions v
      ON v.tenant_id = $1 AND v.persona_name = $2 AND v.version = target.version`;

interface LocatedVersion {
  name: string;
  version: number;
  state: VersionState;
  channel: string | null;
  channelHistory?: ChannelHistory;
  sealed: SealedContent;
}

interface ResolveFacts {
  target_version: number | null;
  state: VersionState | null;
  state_reason: string | null;
  digest: string | null;
  moves:
    | { seq: string | number; action: 'promote' | 'rollback'; version: number; by: string; reason: string }[]
    | null;
}

/**
 * `name.vN` or `name@channel` → the sealed pack with its bundle; 404 unknown, 410 revoked.
 * This is the runtime's hot path: the mutable facts come from one query on every request (so a
 * promotion or revocation is seen at once); the signed content, immutable, is cached in process.
 */
@Injectable()
export class ResolveRef {
  private readonly content = new SealedContentCache();
  private readonly prepared: PreparedQueries;

  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {
    this.prepared = new PreparedQueries(dataSource, 'registry');
  }

  async execute(principal: Principal, text: string): Promise<ResolvedRef> {
    const { sealed, ...facts } = await this.locate(principal, text);
    return {
      ref: text,
      name: facts.name,
      version: facts.version,
      digest: sealed.digest,
      pack: sealed.pack,
      canonical: sealed.canonical,
      bundle: sealed.bundle,
      state: facts.state,
      ...(facts.channel !== null ? { channel: facts.channel, channelHistory: facts.channelHistory } : {}),
    };
  }

  /**
   * The same answer as `execute`, as the UTF-8 bytes of its JSON in two parts to write one after the
   * other: the mutable members (small, encoded per request), then the immutable ones (pack, canonical
   * text, bundle: nearly all of the bytes), encoded once per version and never copied again.
   */
  async executeAsJson(principal: Principal, text: string): Promise<[head: Buffer, tail: Buffer]> {
    const { sealed, ...facts } = await this.locate(principal, text);
    const mutable: Record<string, unknown> = { ref: text, state: facts.state };
    if (facts.channel !== null) {
      mutable.channel = facts.channel;
      mutable.channelHistory = facts.channelHistory;
    }
    return [Buffer.from(`${JSON.stringify(mutable).slice(0, -1)},`), sealed.jsonTail];
  }

  private async locate(principal: Principal, text: string): Promise<LocatedVersion> {
    const ref = allowed(parsePersonaRef(text));
    const channel = ref.kind === 'channel' ? ref.channel : null;
    const rows = await this.prepared.rows<ResolveFacts>(RESOLVE_FACTS_SQL, [
      principal.tenantId,
      ref.name,
      channel,
      ref.kind === 'channel' ? null : ref.version,
    ]);
    const facts = rows[0];
    if (!facts || facts.target_version === null) {
      throw new NotFoundException(`unknown ref ${text}: no persona ${ref.name} with a ${channel} channel`);
    }
    const version = facts.target_version;
    if (!facts.state || !facts.digest) {
      throw new NotFoundException(`unknown ref ${text}: no sealed version ${versionRef(ref.name, version)}`);
    }
    if (facts.state === 'revoked') {
      throw new GoneException(
        `${text} (${versionRef(ref.name, version)}) is revoked${facts.state_reason ? `: ${facts.state_reason}` : ''}`,
      );
    }
    const sealed = await this.sealedContent(principal.tenantId, ref.name, version, facts.digest);
    const channelHistory =
      channel === null
        ? undefined
        : channelHistoryOf(
            channel,
            (facts.moves ?? []).map((move) => ({ ...move, seq: Number(move.seq) })),
          );
    return { name: ref.name, version, state: facts.state, channel, channelHistory, sealed };
  }

  private async sealedContent(
    tenantId: string,
    name: string,
    version: number,
    digest: string,
  ): Promise<SealedContent> {
    const cached = this.content.get(tenantId, name, version, digest);
    if (cached) return cached;
    const found = await registryTables(this.dataSource.manager, { tenantId }).versions.findOne({
      personaName: name,
      version,
    });
    if (!found) throw new NotFoundException(`unknown ref: no sealed version ${versionRef(name, version)}`);
    const content = sealedContentOf(name, version, found.digest, found.canonical, found.bundle);
    this.content.set(tenantId, name, version, content);
    return content;
  }
}
