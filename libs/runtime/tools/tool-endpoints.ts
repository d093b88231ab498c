import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { InjectDataSource } from '@personae/persistence';
import { RUNTIME_SCHEMA } from '../store/runtime-schema';

/** A deployer-registered HTTP endpoint that implements one pack tool for a tenant. */
export interface ToolEndpoint {
  name: string;
  url: string;
  timeoutMs: number;
  createdBy: string;
  createdAt: string;
}

/** Registrations change rarely; another replica's change is seen within this long. */
const CACHE_MS = 2_000;

/** Tool endpoints per tenant (runtime.tools), cached briefly for the hot path. */
@Injectable()
export class ToolEndpoints {
  private readonly cache = new Map<string, { at: number; tools: Promise<Map<string, ToolEndpoint>> }>();
  readonly maxTimeoutMs: number;

  constructor(
    @InjectDataSource(RUNTIME_SCHEMA) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxTimeoutMs = config.runtime.toolTimeoutMs;
  }

  async register(
    tenantId: string,
    tool: { name: string; url: string; timeoutMs?: number },
    by: string,
  ): Promise<ToolEndpoint> {
    const timeoutMs = Math.min(tool.timeoutMs ?? this.maxTimeoutMs, this.maxTimeoutMs);
    const [row] = await this.dataSource.query<RawTool[]>(
      `INSERT INTO runtime.tools (tenant_id, name, url, timeout_ms, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, name) DO UPDATE SET url = EXCLUDED.url, timeout_ms = EXCLUDED.timeout_ms,
         created_by = EXCLUDED.created_by, created_at = now()
       RETURNING name, url, timeout_ms, created_by, created_at`,
      [tenantId, tool.name, tool.url, timeoutMs, by],
    );
    this.cache.delete(tenantId);
    return toolOf(row!);
  }

  async remove(tenantId: string, name: string): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM runtime.tools WHERE tenant_id = $1 AND name = $2`,
      [tenantId, name],
    );
    this.cache.delete(tenantId);
    return count > 0;
  }

  async list(tenantId: string): Promise<ToolEndpoint[]> {
    return [...(await this.forTenant(tenantId)).values()];
  }

  forTenant(tenantId: string): Promise<Map<string, ToolEndpoint>> {
    const hit = this.cache.get(tenantId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.tools;
    const tools = this.dataSource
      .query<RawTool[]>(
        `SELECT name, url, timeout_ms, created_by, created_at FROM runtime.tools WHERE tenant_id = $1 ORDER BY name`,
        [tenantId],
      )
      .then((rows) => new Map(rows.map((r) => [r.name, toolOf(r)])));
    this.cache.set(tenantId, { at: Date.now(), tools });
    tools.catch(() => this.cache.delete(tenantId));
    return tools;
  }
}

interface RawTool {
  name: string;
  url: string;
  timeout_ms: number;
  created_by: string;
  created_at: Date;
}

function toolOf(raw: RawTool): ToolEndpoint {
  return {
    name: raw.name,
    url: raw.url,
    timeoutMs: raw.timeout_ms,
    createdBy: raw.created_by,
    createdAt: new Date(raw.created_at).toISOString(),
  };
}
