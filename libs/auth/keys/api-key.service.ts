import { Injectable } from '@nestjs/common';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { isUuid, uuidv7 } from '@personae/contracts';
import { InjectDataSource } from '@personae/persistence';
import {
  apiKeyPrefix,
  apiKeySecretMatches,
  generateApiKeyToken,
  parseApiKeyToken,
} from '../domain/api-key-token';
import type { Principal } from '../domain/principal';
import { isRole, type Role } from '../domain/roles';
import { isTenantId } from '../domain/tenant';
import { TenantScopedRepository } from '../domain/tenant-scope';
import { ApiKeyEntity } from '../store/api-key.entity';
import { AUTH_SCHEMA } from '../store/auth-schema';
import { VerifiedKeyCache } from './verified-key.cache';

/** A key as listings show it: never the secret nor its hash. */
export interface ApiKeyView {
  id: string;
  tenantId: string;
  role: Role;
  label: string;
  /** The public part of the token (`pk_<id>`), to recognise a key without its secret. */
  prefix: string;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  lastUsedAt: Date | null;
}

/** A newly minted key with its plaintext token: returned once, never stored, never retrievable again. */
export interface MintedApiKey {
  key: ApiKeyView;
  token: string;
}

export interface MintApiKey {
  tenantId: string;
  role: Role;
  label: string;
  /** Subject of who minted it (`apikey:<id>`, `cli:<user>`, `system:bootstrap`). */
  createdBy: string;
}

export const MAX_LABEL_LENGTH = 100;
/** Listings return at most this many keys, newest first. */
export const MAX_LISTED_KEYS = 1000;
/** `last_used_at` is a hint for operators; refreshing it on every request would add a write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;
const BOOTSTRAP_LOCK = 'personae:auth:bootstrap-admin';

@Injectable()
export class ApiKeyService {
  private readonly keys: TenantScopedRepository<ApiKeyEntity>;
  /** Saves the lookup on the hot path of every request; see VerifiedKeyCache for revocation. */
  private readonly verified = new VerifiedKeyCache();

  constructor(@InjectDataSource(AUTH_SCHEMA) private readonly dataSource: DataSource) {
    this.keys = new TenantScopedRepository(dataSource.getRepository(ApiKeyEntity));
  }

  /** Creates a key and returns its token: the only time the plaintext exists. */
  mint(request: MintApiKey): Promise<MintedApiKey> {
    return this.mintWith(this.dataSource.manager, request);
  }

  /** The tenant's keys, newest first, active and revoked. */
  async list(tenantId: string): Promise<ApiKeyView[]> {
    const keys = await this.keys
      .for({ tenantId })
      .find({ order: { createdAt: 'DESC', id: 'DESC' }, take: MAX_LISTED_KEYS });
    return keys.map(toView);
  }

  /**
   * Revokes a key of the tenant (idempotent). Undefined when the tenant has no such key,
   * whether it does not exist or belongs to another tenant.
   */
  async revoke(id: string, tenantId: string, revokedBy: string): Promise<ApiKeyView | undefined> {
    if (!isUuid(id)) return undefined;
    this.verified.evict(id);
    const keys = this.keys.for({ tenantId });
    await keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date(), revokedBy });
    const key = await keys.findOne({ id });
    return key ? toView(key) : undefined;
  }

  /** The principal of a valid, unrevoked key token; undefined for anything else. */
  async verify(token: string): Promise<Principal | undefined> {
    const parsed = parseApiKeyToken(token);
    if (!parsed) return undefined;
    const cached = this.verified.get(parsed.keyId);
    if (cached) {
      return apiKeySecretMatches(parsed.keyId, parsed.secret, cached.secretHash)
        ? cached.principal
        : undefined;
    }
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOne({
      where: { id: parsed.keyId },
      select: { id: true, tenantId: true, role: true, secretHash: true, revokedAt: true, lastUsedAt: true },
    });
    if (!key || key.revokedAt !== null || !apiKeySecretMatches(key.id, parsed.secret, key.secretHash))
      return undefined;
    if (!isRole(key.role)) return undefined;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
      await this.touch(key.id);
    const principal: Principal = {
      subject: `apikey:${key.id}`,
      tenantId: key.tenantId,
      role: key.role,
      via: 'api-key',
      keyId: key.id,
    };
    this.verified.set(key.id, { secretHash: key.secretHash, principal });
    return principal;
  }

  /**
   * First start: when no active admin key exists in any tenant, mints one for `tenantId` and
   * returns it so the caller can show it once. Serialised by a transaction-scoped advisory lock,
   * so processes starting together create exactly one key. Revoking every admin key and
   * restarting is therefore also the recovery path for a lost admin key.
   */
  async bootstrapAdmin(tenantId: string): Promise<MintedApiKey | undefined> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [BOOTSTRAP_LOCK]);
      const active = await manager
        .getRepository(ApiKeyEntity)
        .exists({ where: { role: 'admin', revokedAt: IsNull() } });
      if (active) return undefined;
      return this.mintWith(manager, {
        tenantId,
        role: 'admin',
        label: 'bootstrap admin',
        createdBy: 'system:bootstrap',
      });
    });
  }

  private async mintWith(manager: EntityManager, request: MintApiKey): Promise<MintedApiKey> {
    // The HTTP DTO and CLI validate too; this is the last line for any other caller.
    if (!isTenantId(request.tenantId)) throw new Error('tenant must be a lowercase slug');
    if (!isRole(request.role)) throw new Error('unknown role');
    const label = request.label.trim();
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH)
      throw new Error(`label must be 1 to ${MAX_LABEL_LENGTH} characters`);
    const id = uuidv7();
    const { token, secretHash } = generateApiKeyToken(id);
    const entity: ApiKeyEntity = {
      id,
      tenantId: request.tenantId,
      role: request.role,
      label,
      secretHash,
      createdAt: new Date(),
      createdBy: request.createdBy,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    };
    await manager.getRepository(ApiKeyEntity).insert(entity);
    return { key: toView(entity), token };
  }

  private async touch(id: string): Promise<void> {
    try {
      await this.dataSource
        .createQueryBuilder()
        .update(ApiKeyEntity)
        .set({ lastUsedAt: () => 'now()' })
        .where('id = :id', { id })
        .andWhere("(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")
        .execute();
    } catch {
      // A usage hint must never fail an authenticated request.
    }
  }
}

function toView(key: ApiKeyEntity): ApiKeyView {
  return {
    id: key.id,
    tenantId: key.tenantId,
    role: key.role,
    label: key.label,
    prefix: apiKeyPrefix(key.id),
    createdAt: key.createdAt,
    createdBy: key.createdBy,
    revokedAt: key.revokedAt,
    revokedBy: key.revokedBy,
    lastUsedAt: key.lastUsedAt,
  };
}
