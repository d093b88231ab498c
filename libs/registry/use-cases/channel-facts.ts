import type { ChannelFacts } from '../domain/channels';
import type { RegistryTables } from '../store/registry-tables';

/** What `channel` of persona `name` serves now and has ever served. */
export async function loadChannelFacts(
  tables: RegistryTables,
  name: string,
  channel: string,
): Promise<ChannelFacts> {
  const current = await tables.channels.findOne({ personaName: name, channel });
  const moves = await tables.channelMoves.find({
    where: { personaName: name, channel },
    order: { seq: 'ASC' },
  });
  return { channel, current: current?.version, served: [...new Set(moves.map((m) => m.version))] };
}
