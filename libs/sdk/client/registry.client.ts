import type { HttpClient } from './http-client';

/** A pack as the registry returns it (the validated JSON form of `.persona.yaml`). */
export type PackDocument = Record<string, unknown>;

export type DraftState = 'draft' | 'in_review' | 'approved' | 'rejected' | 'sealed';
export type VersionState = 'sealed' | 'deprecated' | 'revoked';

export interface DraftSummary {
  id: string;
  personaName: string;
  state: DraftState;
  displayName: string;
  description: string;
  category: string;
  tags: string[];
  capabilities: string[];
  /** sha256:<hex> of the pack's canonical JSON. */
  digest: string;
  authorId: string;
  trainerIds: string[];
  sessionId?: string;
  requiredApprovals: number;
  approvals: { reviewerId: string; comment: string; at: string }[];
  /** The version it was sealed as. */
  version?: number;
  /** Search relevance, when listed with `q`. */
  rank?: number;
  createdAt: string;
  updatedAt: string;
}

export interface DraftView extends DraftSummary {
  pack: PackDocument;
  reviews: {
    id: string;
    reviewerId: string;
    verdict: 'approved' | 'rejected';
    comment: string;
    at: string;
  }[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface DraftFilters {
  q?: string;
  tag?: string[];
  capability?: string[];
  category?: string;
  createdBy?: string;
  state?: DraftState;
  name?: string;
  limit?: number;
  offset?: number;
}

export interface VersionSummary {
  name: string;
  version: number;
  ref: string;
  digest: string;
  state: VersionState;
  stateReason?: string;
  stateChangedBy?: string;
  stateChangedAt?: string;
  keyId: string;
  logIndex: number;
  approvals: { by: string; role: string; at: string }[];
  draftId: string;
  sealedBy: string;
  sealedAt: string;
}

export interface VersionView extends VersionSummary {
  pack: PackDocument;
  /** The exact RFC 8785 text that was signed. */
  canonical: string;
  bundle: Record<string, unknown>;
  governanceReport: Record<string, unknown>;
}

export interface ChannelMove {
  seq: number;
  action: 'promote' | 'rollback';
  version: number;
  previousVersion?: number;
  by: string;
  at: string;
  reason: string;
}

export interface ChannelView {
  channel: string;
  version?: number;
  updatedBy?: string;
  updatedAt?: string;
  history: ChannelMove[];
}

/** `verifySealedPack`'s ChannelHistory, with who and why on each rollback. */
export interface ResolvedChannelHistory {
  channel: string;
  served: { version: number; at: number }[];
  rollbacks: { toVersion: number; at: number; by: string; reason: string }[];
}

export interface ResolvedRef {
  ref: string;
  name: string;
  version: number;
  digest: string;
  pack: PackDocument;
  /** The exact signed bytes: hand these to the verifier, not a re-serialization of `pack`. */
  canonical: string;
  bundle: Record<string, unknown>;
  state: Exclude<VersionState, 'revoked'>;
  channel?: string;
  channelHistory?: ResolvedChannelHistory;
}

export interface PersonaView {
  name: string;
  createdBy: string;
  forkedFrom?: string;
  createdAt: string;
  latestVersion?: number;
  drafts: number;
}

export interface PackDiffView {
  from: string;
  to: string;
  changes: {
    pointer: string;
    kind: 'added' | 'removed' | 'changed';
    before?: unknown;
    after?: unknown;
    provenance: { path: string; reason: string; events: string[]; origin?: string }[];
  }[];
  unexplained: number;
}

const enc = encodeURIComponent;

function query(params: Record<string, string | number | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Typed client of the persona registry's HTTP API (/v1/personas, /v1/resolve, /v1/schemas). */
export class RegistryClient {
  constructor(private readonly http: HttpClient) {}

  createDraft(
    pack: PackDocument,
    options: { sessionId?: string; trainerIds?: string[] } = {},
  ): Promise<DraftView> {
    return this.http.request('POST', '/v1/personas/drafts', { pack, ...options });
  }

  /** A `.persona.yaml` document (or JSON text) as a new draft. */
  importDocument(document: string, format: 'yaml' | 'json' = 'yaml'): Promise<DraftView> {
    const contentType = format === 'yaml' ? 'application/yaml' : 'application/json';
    return this.http.request('POST', '/v1/personas/import', document, { 'content-type': contentType });
  }

  listDrafts(filters: DraftFilters = {}): Promise<Page<DraftSummary>> {
    return this.http.request('GET', `/v1/personas/drafts${query({ ...filters })}`);
  }

  getDraft(id: string): Promise<DraftView> {
    return this.http.request('GET', `/v1/personas/drafts/${enc(id)}`);
  }

  updateDraft(id: string, pack: PackDocument): Promise<DraftView> {
    return this.http.request('PUT', `/v1/personas/drafts/${enc(id)}`, { pack });
  }

  deleteDraft(id: string): Promise<void> {
    return this.http.request('DELETE', `/v1/personas/drafts/${enc(id)}`);
  }

  exportDraft(id: string, format: 'yaml' | 'json' = 'yaml'): Promise<string> {
    return this.http.text('GET', `/v1/personas/drafts/${enc(id)}/export?format=${format}`);
  }

  submit(id: string): Promise<DraftView> {
    return this.http.request('POST', `/v1/personas/drafts/${enc(id)}/submit`, {});
  }

  withdraw(id: string): Promise<DraftView> {
    return this.http.request('POST', `/v1/personas/drafts/${enc(id)}/withdraw`, {});
  }

  approve(id: string, comment?: string): Promise<DraftView> {
    return this.http.request(
      'POST',
      `/v1/personas/drafts/${enc(id)}/approve`,
      comment === undefined ? {} : { comment },
    );
  }

  reject(id: string, comment: string): Promise<DraftView> {
    return this.http.request('POST', `/v1/personas/drafts/${enc(id)}/reject`, { comment });
  }

  /** Seals an approved draft as the next version `name.vN` (signer role). */
  seal(id: string): Promise<VersionView> {
    return this.http.request('POST', `/v1/personas/drafts/${enc(id)}/seal`, {});
  }

  listPersonas(page: { limit?: number; offset?: number } = {}): Promise<Page<PersonaView>> {
    return this.http.request('GET', `/v1/personas${query(page)}`);
  }

  getPersona(name: string): Promise<PersonaView> {
    return this.http.request('GET', `/v1/personas/${enc(name)}`);
  }

  clone(name: string, newName: string, version?: number): Promise<DraftView> {
    return this.http.request(
      'POST',
      `/v1/personas/${enc(name)}/clone`,
      version ? { newName, version } : { newName },
    );
  }

  /** `from`/`to`: `v2` or `draft:<id>`. */
  diff(name: string, from: string, to: string): Promise<PackDiffView> {
    return this.http.request('GET', `/v1/personas/${enc(name)}/diff${query({ from, to })}`);
  }

  listVersions(name: string): Promise<{ versions: VersionSummary[] }> {
    return this.http.request('GET', `/v1/personas/${enc(name)}/versions`);
  }

  getVersion(name: string, version: number): Promise<VersionView> {
    return this.http.request('GET', `/v1/personas/${enc(name)}/versions/${version}`);
  }

  exportVersion(name: string, version: number, format: 'yaml' | 'json' = 'yaml'): Promise<string> {
    return this.http.text('GET', `/v1/personas/${enc(name)}/versions/${version}/export?format=${format}`);
  }

  deprecate(name: string, version: number, reason: string): Promise<VersionSummary> {
    return this.http.request('POST', `/v1/personas/${enc(name)}/versions/${version}/deprecate`, { reason });
  }

  /** Revokes the version here and in the signer's trust root. */
  revoke(name: string, version: number, reason: string): Promise<VersionSummary> {
    return this.http.request('POST', `/v1/personas/${enc(name)}/versions/${version}/revoke`, { reason });
  }

  channels(name: string): Promise<{ name: string; channels: ChannelView[] }> {
    return this.http.request('GET', `/v1/personas/${enc(name)}/channels`);
  }

  promote(name: string, channel: string, version: number, reason: string): Promise<ChannelView> {
    return this.http.request('POST', `/v1/personas/${enc(name)}/channels/${enc(channel)}/promote`, {
      version,
      reason,
    });
  }

  rollback(name: string, channel: string, version: number, reason: string): Promise<ChannelView> {
    return this.http.request('POST', `/v1/personas/${enc(name)}/channels/${enc(channel)}/rollback`, {
      version,
      reason,
    });
  }

  /** `name.vN` or `name@channel` → the sealed pack, its exact signed bytes, bundle and channel history. */
  resolve(ref: string): Promise<ResolvedRef> {
    return this.http.request('GET', `/v1/resolve/${enc(ref)}`);
  }

  /** The published JSON Schema of `.persona.yaml` (public). */
  packSchema(): Promise<Record<string, unknown>> {
    return this.http.request('GET', '/v1/schemas/persona-pack');
  }
}
