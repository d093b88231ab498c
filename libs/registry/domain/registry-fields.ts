import { PackValidationError, validatePack, type PersonaPack } from '@personae/pack';

/**
 * Names the HTTP API uses as path segments under /v1/personas (`/v1/personas/drafts`, `/import`), so no
 * persona may be called that.
 */
export const RESERVED_PERSONA_NAMES: readonly string[] = ['drafts', 'import'];

export interface Ownership {
  tenant: string;
  /** The principal that created the persona (its first draft). */
  createdBy: string;
}

/**
 * The registry owns `metadata.tenant`, `metadata.createdBy` and `metadata.version`: whatever a caller
 * sends there is replaced (a draft has no version until sealed). Accepting them silently lets an
 * exported version be imported again as a draft. The result is validated again, so nothing the
 * registry stamps can make a stored pack invalid.
 */
export function draftPack(pack: PersonaPack, owner: Ownership): PersonaPack {
  assertNameAllowed(pack.metadata.name);
  const { version: _version, ...metadata } = pack.metadata;
  return validatePack({
    ...pack,
    metadata: { ...metadata, tenant: owner.tenant, createdBy: owner.createdBy },
  });
}

/** The pack exactly as it is sealed: the draft's pack with its version number. */
export function sealedPack(pack: PersonaPack, version: number): PersonaPack {
  return validatePack({ ...pack, metadata: { ...pack.metadata, version } });
}

/**
 * A new persona started from a sealed version: new name, `forkedFrom` naming the source, and provenance
 * based on it with no changes yet (a diff against the source then shows only what the fork changed).
 */
export function forkedPack(
  source: PersonaPack,
  newName: string,
  sourceRef: string,
  owner: Ownership,
): PersonaPack {
  const { version: _version, ...metadata } = source.metadata;
  return draftPack(
    {
      ...source,
      metadata: { ...metadata, name: newName, forkedFrom: sourceRef },
      provenance: { base: sourceRef, trainingSessions: [], changes: [] },
    },
    owner,
  );
}

function assertNameAllowed(name: string): void {
  if (RESERVED_PERSONA_NAMES.includes(name))
    throw PackValidationError.single(
      '/metadata/name',
      `"${name}" is reserved by the registry API (${RESERVED_PERSONA_NAMES.join(', ')}); choose another name`,
    );
}
