import type { HttpClient } from './http-client';

/** One approval as it enters the seal's in-toto predicate. */
export interface SealApproval {
  by: string;
  role: string;
  at: string;
}

export interface SealRequest {
  /** The validated, normalized pack with metadata.version set to the version being sealed. */
  pack: Record<string, unknown>;
  approvals: SealApproval[];
  /** sha256:<hex> of the governance report the pack passed. */
  governanceReportDigest: string;
}

export interface SealResult {
  /** Sigstore bundle v0.3 (JSON) carrying the DSSE envelope and the transparency-log entry. */
  bundle: Record<string, unknown>;
  /** sha256:<hex> of the pack's RFC 8785 canonical form. */
  digest: string;
  keyId: string;
  logIndex: number;
}

export interface PublicKeyView {
  keyId: string;
  publicKeyPem: string;
  /** pack-signer keys seal packs; the log key signs checkpoints; receipt keys sign runtime receipts. */
  purpose: 'pack-signer' | 'log' | 'receipt';
  status: 'active' | 'retired' | 'revoked';
  createdAt: string;
  revokedAt?: string;
}

export interface RevokedVersionView {
  packName: string;
  version: number;
  digest: string;
  reason: string;
  revokedAt: string;
}

/** Everything an offline verifier needs, in one answer. */
export interface TrustRoot {
  keys: PublicKeyView[];
  log: {
    origin: string;
    keyId: string;
    publicKeyPem: string;
    checkpoint: string;
    treeSize: number;
    rootHash: string;
  };
  revokedVersions: RevokedVersionView[];
}

/** Typed client of the signer service's HTTP API (/v1/signer/...). */
export class SignerClient {
  constructor(private readonly http: HttpClient) {}

  seal(request: SealRequest): Promise<SealResult> {
    return this.http.request('POST', '/v1/signer/seal', request);
  }

  keys(): Promise<{ keys: PublicKeyView[] }> {
    return this.http.request('GET', '/v1/signer/keys');
  }

  trustRoot(): Promise<TrustRoot> {
    return this.http.request('GET', '/v1/signer/trust-root');
  }

  revokeVersion(request: {
    packName: string;
    version: number;
    digest: string;
    reason: string;
  }): Promise<RevokedVersionView> {
    return this.http.request('POST', '/v1/signer/revocations', request);
  }

  rotateKey(): Promise<PublicKeyView> {
    return this.http.request('POST', '/v1/signer/keys/rotate', {});
  }

  revokeKey(keyId: string, reason: string): Promise<PublicKeyView> {
    return this.http.request('POST', `/v1/signer/keys/${encodeURIComponent(keyId)}/revoke`, { reason });
  }

  registerIdentity(identity: { subject: string; displayName: string; roles: string[] }): Promise<unknown> {
    return this.http.request('POST', '/v1/signer/identities', identity);
  }
}
