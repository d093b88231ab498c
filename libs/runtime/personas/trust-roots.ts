import { BadGatewayException, Injectable } from '@nestjs/common';
import { HttpClient, SignerClient, trustRootVerification, type TrustRootVerification } from '@personae/sdk';
import { ServiceUrls } from '@personae/service-kit';

/** Key revocations have no event (the signer has no outbox): they are seen at the next refresh. */
export const TRUST_ROOT_TTL_MS = 30_000;

/**
 * Per-tenant verification material from the signer's public trust root: pack-signer keys (with
 * revocation times), the log key and a checkpoint, revoked versions. Fetched on first use, kept
 * TRUST_ROOT_TTL_MS, refetched at once when a revocation event arrives.
 */
@Injectable()
export class TrustRoots {
  private readonly roots = new Map<string, { at: number; value: Promise<TrustRootVerification> }>();

  constructor(private readonly urls: ServiceUrls) {}

  get(tenantId: string): Promise<TrustRootVerification> {
    const cached = this.roots.get(tenantId);
    if (cached && Date.now() - cached.at < TRUST_ROOT_TTL_MS) return cached.value;
    const value = this.fetch(tenantId);
    this.roots.set(tenantId, { at: Date.now(), value });
    value.catch(() => this.roots.delete(tenantId));
    return value;
  }

  invalidate(tenantId: string): void {
    this.roots.delete(tenantId);
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
