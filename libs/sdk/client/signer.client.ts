import { importPublicKey, type TransparencyLogEntryJson } from '@personae/crypto';
import { TrustedLog, trustedSigners, type TransparencyLogTrust, type TrustedSigner } from '@personae/trust';
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

/** The latest signed tree head. `rootHash` is standard base64. */
export interface LogCheckpointView {
  origin: string;
  keyId: string;
  treeSize: number;
  rootHash: string;
  /** C2SP signed note (the Sigstore checkpoint form). */
  checkpoint: string;
}

/** A log entry exactly as a Sigstore bundle's tlogEntries item (one definition, in libs/crypto). */
export type LogEntryView = TransparencyLogEntryJson;

export interface ConsistencyProofView {
  firstSize: number;
  secondSize: number;
  /** RFC 9162 PROOF(firstSize, secondSize), base64 hashes. */
  hashes: string[];
  /** Signed notes for both sizes (absent for size 0), so both roots are vouched for by the log key. */
  firstCheckpoint?: string;
  secondCheckpoint?: string;
}

export interface TrustedIdentityView {
  id: string;
  /** The principal subject (`apikey:<id>` or a JWT `sub`) allowed to act. */
  subject: string;
  displayName: string;
  /** `pack-signer` (seal and revoke versions), `pack-revoker` (revoke versions only). */
  roles: string[];
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

/** Typed client of the signer service's HTTP API (/v1/signer/...). */
export class SignerClient {
  constructor(private readonly http: HttpClient) {}

  seal(request: SealRequest): Promise<SealResult> {
    return this.http.request('POST', '/v1/signer/seal', request);
  }

  /** The tenant's pack-signer keys and the platform keys; the caller's own tenant unless one is named. */
  keys(tenant?: string): Promise<{ keys: PublicKeyView[] }> {
    return this.http.request('GET', `/v1/signer/keys${tenantQuery(tenant)}`);
  }

  /** The caller's own tenant unless one is named (the endpoint is public: anyone may verify). */
  trustRoot(tenant?: string): Promise<TrustRoot> {
    return this.http.request('GET', `/v1/signer/trust-root${tenantQuery(tenant)}`);
  }

  revocations(tenant?: string): Promise<{ revocations: RevokedVersionView[] }> {
    return this.http.request('GET', `/v1/signer/revocations${tenantQuery(tenant)}`);
  }

  checkpoint(): Promise<LogCheckpointView> {
    return this.http.request('GET', '/v1/signer/log/checkpoint');
  }

  /** One log entry with its inclusion proof against the latest tree, or against `treeSize`. */
  logEntry(index: number, treeSize?: number): Promise<LogEntryView> {
    const query = treeSize === undefined ? '' : `?treeSize=${treeSize}`;
    return this.http.request('GET', `/v1/signer/log/entries/${index}${query}`);
  }

  /** RFC 9162 consistency proof from tree size `from` to `to` (default: the latest). */
  consistencyProof(from: number, to?: number): Promise<ConsistencyProofView> {
    const query = to === undefined ? `?from=${from}` : `?from=${from}&to=${to}`;
    return this.http.request('GET', `/v1/signer/log/consistency${query}`);
  }

  identities(): Promise<{ identities: TrustedIdentityView[] }> {
    return this.http.request('GET', '/v1/signer/identities');
  }

  removeIdentity(id: string): Promise<void> {
    return this.http.request('DELETE', `/v1/signer/identities/${encodeURIComponent(id)}`);
  }

  revokeVersion(request: {
    packName: string;
    version: number;
    digest: string;
    reason: string;
  }): Promise<RevokedVersionView> {
    return this.http.request('POST', '/v1/signer/revocations', request);
  }

  rotateKey(reason?: string): Promise<PublicKeyView> {
    return this.http.request('POST', '/v1/signer/keys/rotate', reason === undefined ? {} : { reason });
  }

  revokeKey(keyId: string, reason: string): Promise<PublicKeyView> {
    return this.http.request('POST', `/v1/signer/keys/${encodeURIComponent(keyId)}/revoke`, { reason });
  }

  registerIdentity(identity: {
    subject: string;
    displayName: string;
    roles: string[];
  }): Promise<TrustedIdentityView> {
    return this.http.request('POST', '/v1/signer/identities', identity);
  }
}

function tenantQuery(tenant: string | undefined): string {
  return tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`;
}

/** verifySealedPack's trust inputs, built from one trust root and nothing else. */
export interface TrustRootVerification {
  trustedKeys: Map<string, TrustedSigner>;
  transparencyLog: TransparencyLogTrust;
  revokedVersions: Set<string>;
}

/**
 * Turns a trust root into what `verifySealedPack` takes: the tenant's pack-signer keys (retired
 * ones still trusted, revoked ones with their revocation time), the log key with the root's signed
 * checkpoint, and revoked versions by `name.vN` and digest. Throws if the log key or checkpoint does
 * not check out. Build once per trust-root fetch and reuse: it parses keys and verifies a signature.
 */
export function trustRootVerification(root: TrustRoot): TrustRootVerification {
  const trustedKeys = trustedSigners(
    root.keys
      .filter((key) => key.purpose === 'pack-signer')
      .map((key) => ({
        publicKeyPem: key.publicKeyPem,
        roles: ['pack-signer'],
        ...(key.revokedAt ? { revokedAt: Date.parse(key.revokedAt) } : {}),
      })),
  );
  const log = new TrustedLog(root.log.origin, importPublicKey(root.log.publicKeyPem));
  if (log.keyId !== root.log.keyId) throw new Error('trust root: the log key id does not match its key');
  const checkpoint = log.open(root.log.checkpoint);
  if (checkpoint.treeSize !== root.log.treeSize)
    throw new Error('trust root: the checkpoint is not for the stated tree size');
  const revokedVersions = new Set(
    root.revokedVersions.flatMap((version) => [`${version.packName}.v${version.version}`, version.digest]),
  );
  return { trustedKeys, transparencyLog: { log, checkpoint }, revokedVersions };
}
