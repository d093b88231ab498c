import { Injectable, Logger } from '@nestjs/common';
import { compilePolicy, type CompiledPolicy } from '@personae/policy';
import { GovernanceClient, HttpClient, PersonaeApiError } from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';

/** How often a tenant's active policy is read again: an activation takes effect within this. */
const REFRESH_MS = 2_000;
/** How long the last layer read stands in while the governance service cannot be reached. */
const STALE_LIMIT_MS = 60_000;

interface Entry {
  /** null: the tenant has no active policy, only the constitution and the persona apply. */
  layer: CompiledPolicy | null;
  readAt: number;
  refreshing?: Promise<void>;
}

/** Why a tenant's policy could not be read: the request is refused (fail closed) with this reason. */
export class TenantPolicyUnavailable extends Error {}

/**
 * The tenant layer of every decision: the tenant's active policy, read from the governance service
 * (`GET /v1/governance/policies/active`, with the caller's token) and compiled once per read. The hot
 * path waits only for a tenant's first read; later ones refresh in the background every 2 s. A tenant
 * whose policy was never read, or not for 60 s, is refused rather than decided without its rules.
 */
@Injectable()
export class TenantPolicyLayers {
  private readonly logger = new Logger(TenantPolicyLayers.name);
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly urls: ServiceUrls) {}

  /** Makes the tenant's layer current enough to decide with; throws TenantPolicyUnavailable. */
  async prepare(caller: { tenantId: string; token: string }): Promise<void> {
    const entry = this.entries.get(caller.tenantId);
    const age = entry ? Date.now() - entry.readAt : Infinity;
    if (age < REFRESH_MS) return;
    const refresh = this.refresh(caller, entry);
    if (age < STALE_LIMIT_MS) return; // decided with the last layer read while this one is fetched
    await refresh;
    const now = this.entries.get(caller.tenantId);
    if (!now || Date.now() - now.readAt >= STALE_LIMIT_MS)
      throw new TenantPolicyUnavailable("the tenant's policy could not be read from the governance service");
  }

  /** The tenant's layer as last read (after prepare), or undefined for none. */
  layerOf(tenantId: string): CompiledPolicy | undefined {
    return this.entries.get(tenantId)?.layer ?? undefined;
  }

  private refresh(caller: { tenantId: string; token: string }, entry: Entry | undefined): Promise<void> {
    if (entry?.refreshing) return entry.refreshing;
    const refreshing = this.read(caller)
      .then((layer) => void this.entries.set(caller.tenantId, { layer, readAt: Date.now() }))
      .catch((error: unknown) => {
        if (entry) entry.refreshing = undefined;
        this.logger.warn(`tenant ${caller.tenantId}: policy not refreshed: ${(error as Error).message}`);
      });
    if (entry) entry.refreshing = refreshing;
    return refreshing;
  }

  private async read(caller: { tenantId: string; token: string }): Promise<CompiledPolicy | null> {
    const client = new GovernanceClient(
      new HttpClient({
        baseUrl: this.urls.governance(),
        token: caller.token,
        timeoutMs: 5_000,
        correlationId: currentCorrelationId(),
      }),
    );
    let active: Awaited<ReturnType<GovernanceClient['activePolicy']>>;
    try {
      active = await client.activePolicy();
    } catch (error) {
      if (error instanceof PersonaeApiError && error.status === 404) return null;
      throw error;
    }
    const compiled = compilePolicy(active.document, { layer: 'tenant', version: active.label });
    // Governance stores only policies that compile; one that does not here is refused, not skipped.
    if (!compiled.ok) throw new Error(`the active policy ${active.label} does not compile`);
    return compiled.policy;
  }
}
