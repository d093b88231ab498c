import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { ChannelHistory } from '@personae/trust';
import type { DataSource } from 'typeorm';
import { channelHistoryOf } from '../domain/channels';
import type { VersionState } from '../domain/lifecycle';
import { parsePersonaRef, versionRef } from '../domain/persona-ref';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import { allowed } from '../use-cases/refusals';

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

/** `name.vN` or `name@channel` → the sealed pack with its bundle; 404 unknown, 410 revoked. */
@Injectable()
export class ResolveRef {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  async execute(principal: Principal, text: string): Promise<ResolvedRef> {
    const ref = allowed(parsePersonaRef(text));
    const tables = registryTables(this.dataSource.manager, principal);
    let version: number;
    let channelHistory: ChannelHistory | undefined;
    if (ref.kind === 'channel') {
      const channel = await tables.channels.findOne({ personaName: ref.name, channel: ref.channel });
      if (!channel)
        throw new NotFoundException(
          `unknown ref ${text}: no persona ${ref.name} with a ${ref.channel} channel`,
        );
      version = channel.version;
      const moves = await tables.channelMoves.find({
        where: { personaName: ref.name, channel: ref.channel },
        order: { seq: 'ASC' },
      });
      channelHistory = channelHistoryOf(
        ref.channel,
        moves.map((move) => ({ ...move, seq: Number(move.seq) })),
      );
    } else {
      version = ref.version;
    }
    const found = await tables.versions.findOne({ personaName: ref.name, version });
    if (!found)
      throw new NotFoundException(`unknown ref ${text}: no sealed version ${versionRef(ref.name, version)}`);
    if (found.state === 'revoked')
      throw new GoneException(
        `${text} (${versionRef(ref.name, version)}) is revoked${found.stateReason ? `: ${found.stateReason}` : ''}`,
      );
    return {
      ref: text,
      name: ref.name,
      version,
      digest: found.digest,
      pack: JSON.parse(found.canonical) as unknown,
      canonical: found.canonical,
      bundle: found.bundle,
      state: found.state,
      ...(ref.kind === 'channel' ? { channel: ref.channel, channelHistory } : {}),
    };
  }
}
