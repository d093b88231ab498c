import type Redis from 'ioredis';
import type {
  BudgetCounters,
  CounterAdjustment,
  CounterReservation,
  ReserveOutcome,
} from './budget-counters.port';

/**
 * Check-and-add for every key in one Lua script: Redis runs a script without interleaving, so 50
 * concurrent reservations see each other's additions. Amounts are integer micro-USD, so INCRBYFLOAT
 * adds exactly. The expiry is set once, when the counter is created.
 */
const RESERVE = `
local n = #KEYS
for i = 1, n do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  if current + tonumber(ARGV[i]) > tonumber(ARGV[n + i]) then
    return {0, i - 1, tostring(current)}
  end
end
local result = {1, 0}
for i = 1, n do
  result[i + 2] = redis.call('INCRBYFLOAT', KEYS[i], ARGV[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[2 * n + i]) end
end
return result`;

const ADJUST = `
for i = 1, #KEYS do
  redis.call('INCRBYFLOAT', KEYS[i], ARGV[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[#KEYS + i]) end
end
return 1`;

export class RedisBudgetCounters implements BudgetCounters {
  constructor(private readonly redis: Redis) {}

  async reserve(entries: readonly CounterReservation[]): Promise<ReserveOutcome> {
    if (entries.length === 0) return { ok: true, totals: [] };
    const result = (await this.redis.eval(
      RESERVE,
      entries.length,
      ...entries.map((e) => e.key),
      ...entries.map((e) => String(e.amount)),
      ...entries.map((e) => String(e.limit)),
      ...entries.map((e) => String(e.ttlSeconds)),
    )) as (number | string)[];
    if (Number(result[0]) === 0) return { ok: false, index: Number(result[1]), total: Number(result[2]) };
    return { ok: true, totals: result.slice(2).map(Number) };
  }

  async adjust(entries: readonly CounterAdjustment[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.eval(
      ADJUST,
      entries.length,
      ...entries.map((e) => e.key),
      ...entries.map((e) => String(e.amount)),
      ...entries.map((e) => String(e.ttlSeconds)),
    );
  }

  async read(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.map((value) => (value === null ? 0 : Number(value)));
  }
}
