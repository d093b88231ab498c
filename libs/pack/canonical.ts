import { createHash } from 'node:crypto';
import { canonicalize } from '@personae/crypto';
import type { PersonaPack } from './schema/persona-pack.schema';

/**
 * The bytes we hash and sign: RFC 8785 canonical JSON of the whole pack as given — metadata (including
 * `version`, `tenant`, `createdBy`), spec and provenance. Nothing is left out, so nothing a verifier
 * reads can change without changing the digest.
 *
 * Pass a validated (normalized) pack when computing a digest to seal. To verify a stored pack, digest
 * the document exactly as stored (parsePackDocument, or JSON.parse), before validatePack fills in
 * defaults: a later schema version with new defaults must not change an old pack's digest.
 */
export function canonicalPackJson(pack: PersonaPack | Readonly<Record<string, unknown>>): string {
  return canonicalize(pack);
}

/** `sha256:<64 hex>` of the canonical UTF-8 bytes: the subject digest of the signed statement. */
export function packDigest(pack: PersonaPack | Readonly<Record<string, unknown>>): string {
  return `sha256:${createHash('sha256').update(canonicalPackJson(pack), 'utf8').digest('hex')}`;
}
