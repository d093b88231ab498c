import { Injectable } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { DEFAULT_CHANNELS } from '../domain/channels';
import type { ChannelEntity, ChannelMoveEntity } from '../store/channel.entity';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';

export interface ChannelState {
  channel: string;
  current: ChannelEntity | undefined;
  history: ChannelMoveEntity[];
}

@Injectable()
export class ChannelQueries {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  /** dev, prod and every custom channel used, each with what it serves and its history (oldest first). */
  async list(principal: Principal, name: string): Promise<ChannelState[]> {
    const tables = registryTables(this.dataSource.manager, principal);
    await tables.personas.get({ name }, `persona ${name}`);
    const current = await tables.channels.find({ where: { personaName: name } });
    const moves = await tables.channelMoves.find({ where: { personaName: name }, order: { seq: 'ASC' } });
    const names = [
      ...new Set([...DEFAULT_CHANNELS, ...current.map((c) => c.channel), ...moves.map((m) => m.channel)]),
    ];
    return names.map((channel) => ({
      channel,
      current: current.find((c) => c.channel === channel),
      history: moves.filter((m) => m.channel === channel),
    }));
  }
}
