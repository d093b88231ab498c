import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@personae/config';

/** The signed material of one sealed version: what verification needs, nothing it must trust. */
export interface SealedMaterial {
  name: string;
  version: number;
  digest: string;
  /** The exact RFC 8785 text that was signed. */
  canonical: string;
  bundle: Record<string, unknown>;
}

const TTL_SECONDS = 24 * 3600;

/**
 * Sealed packs by digest, shared by every replica when REDIS_URL is set, so a replica that has not
 * seen a persona (or restarted) need not ask the registry for its bytes. What comes back is verified
 * again like anything from the network: Redis is a cache, not a trust anchor. Without Redis it
 * stores nothing (the resolver's in-process cache already holds verified packs).
 */
@Injectable()
export class SealedPackStore implements OnApplicationShutdown {
  private readonly logger = new Logger('SealedPackStore');
  private readonly redis?: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        lazyConnect: false,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
      });
      this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
  }

  get enabled(): boolean {
    return this.redis !== undefined;
  }

  async get(tenantId: string, digest: string): Promise<SealedMaterial | undefined> {
    if (!this.redis) return undefined;
    try {
      const text = await this.redis.get(key(tenantId, digest));
      return text ? (JSON.parse(text) as SealedMaterial) : undefined;
    } catch {
      return undefined; // a cache that is down is a miss
    }
  }

  async put(tenantId: string, material: SealedMaterial): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.set(key(tenantId, material.digest), JSON.stringify(material), 'EX', TTL_SECONDS);
    } catch {
      // best effort
    }
  }

  async drop(tenantId: string, digest: string): Promise<void> {
    if (!this.redis) return;
    await this.redis.del(key(tenantId, digest)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}

const key = (tenantId: string, digest: string): string => `personae:runtime:pack:${tenantId}:${digest}`;
