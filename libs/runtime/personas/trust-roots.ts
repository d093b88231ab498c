import { BadGatewayException, Injectable, Logger } from '@nestjs/common';
import { HttpClient, SignerClient, trustRootVerification, type TrustRootVerification } from '@personae/sdk';
import { ServiceUrls } from '@personae/service-kit';

/**
 * A tenant's trust root in use is read again this often, in the background: key revocations have
 * no event (the signer has no outbox), so this bounds how long a revoked key's packs still run.
 */
export const TRUST_ROOT_REFRESH_MS = 2_000;
/** Past this age a verification waits for a fresh trust root instead of using the last one. */
export const TRUST_ROOT_TTL_MS = 30_000;

interface Root {
  at: number;
  value: Promise<TrustRootVerification>;
  /** The last root that was read successfully: what the synchronous key check uses. */
  settled?: TrustRootVerification;
  refreshing?: boolean;
}

/**
 * Per-tenant verification material from the signer's public trust root: pack-signer keys (with
 * revocation times), the log key and a checkpoint, revoked versions. Fetched on first use, refreshed
 * in the background every TRUST_ROOT_REFRESH_MS while used, refetched at once after a revocation event.
 */
@Injectable()
export class TrustRoots {
  private readonly logger = new Logger(TrustRoots.name);
  private readonly roots = new Map<string, Root>();

  constructor(private readonly urls: ServiceUrls) {}

  get(tenantId: string): Promise<TrustRootVerification> {
    const cached = this.roots.get(tenantId);
    const age = cached ? Date.now() - cached.at : Infinity;
    if (cached && age < TRUST_ROOT_TTL_MS) {
      if (age >= TRUST_ROOT_REFRESH_MS) this.refreshInBackground(tenantId, cached);
      return cached.value;
    }
    return this.load(tenantId, cached?.settled);
  }

  /**
   * Whether the key that signed a verified pack is revoked, or no longer trusted, in the tenant's
   * latest trust root. Synchronous for the hot path: it reads the last root and refreshes a stale one
   * in the background, so a revocation is seen within about TRUST_ROOT_REFRESH_MS.
   */
  keyRefused(tenantId: string, keyId: string): boolean {
    const root = this.roots.get(tenantId);
    if (!root) return false; // nothing verified with this tenant's root in this process yet
    if (Date.now() - root.at >= TRUST_ROOT_REFRESH_MS) this.refreshInBackground(tenantId, root);
    if (!root.settled) return false;
    const signer = root.settled.trustedKeys.get(keyId);
    if (!signer) return true;
    return signer.revokedAt !== undefined && new Date(signer.revokedAt).getTime() <= Date.now();
  }

  invalidate(tenantId: string): void {
    const root = this.roots.get(tenantId);
    // Keep the settled copy for keyRefused until the new one arrives.
    if (root) root.at = 0;
  }

  private refreshInBackground(tenantId: string, root: Root): void {
    if (root.refreshing) return;
    root.refreshing = true;
    this.load(tenantId, root.settled).catch((error: unknown) => {
      root.refreshing = false;
      this.logger.warn(`tenant ${tenantId}: trust root not refreshed: ${(error as Error).message}`);
    });
  }

  private load(tenantId: string, settled: TrustRootVerification | undefined): Promise<TrustRootVerification> {
    const value = this.fetch(tenantId);
    const root: Root = { at: Date.now(), value, ...(settled ? { settled } : {}) };
    this.roots.set(tenantId, root);
    value.then(
      (fresh) => void (root.settled = fresh),
      () => {
        // A failed read is not cached: the next caller tries again, the last good copy stays.
        if (this.roots.get(tenantId) === root)
          this.roots.set(tenantId, { at: 0, value, ...(settled ? { settled } : {}) });
      },
    );
    return value;
  }

  private async fetch(tenantId: string): Promise<TrustRootVerification> {
    // The trust root is public: no credential is sent.
    const client = new SignerClient(
      new HttpClient({ baseUrl: this.urls.signer(), token: '', timeoutMs: 10_000 }),
    );
    try {
      return trustRootVerification(await client.trustRoot(tenantId));
    } catch (error) {
      throw new BadGatewayException(`the signer's trust root could not be read: ${(error as Error).message}`);
    }
  }
}
