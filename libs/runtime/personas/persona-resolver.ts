import {
  BadGatewayException,
  BadRequestException,
  ForbiddenException,
  GoneException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { checkPack } from '@personae/pack';
import { PersonaeApiError, type ResolvedRef } from '@personae/sdk';
import { ServiceUrls } from '@personae/service-kit';
import { downgradeProblem, verifySealedPackAsync, type ChannelHistory } from '@personae/trust';
import { parseRuntimeRef, REF_HINT, versionRefOf, type RuntimeRef } from '../domain/persona-ref';
import { modeProblem, type RuntimeMode } from '../domain/runtime-mode';
import { BoundedMap } from '@personae/service-kit';
import { registryAs } from './registry-as';
import { SealedPackStore, type SealedMaterial } from './sealed-pack.store';
import { TrustRoots } from './trust-roots';
import type { VerifiedPersona } from './verified-persona';

/** A channel resolution is re-checked at least this often even if an event were lost. */
export const CHANNEL_TTL_MS = 60_000;

interface Resolution {
  digest: string;
  name: string;
  version: number;
  at: number;
}

/** Who is asking: their tenant scopes every cache; their token is forwarded to the registry. */
export interface Caller {
  tenantId: string;
  token: string;
}

/**
 * ref → verified persona. Every pack is accepted only through `verifySealedPackAsync` (digest,
 * signature, signer trust, revocation, log inclusion, channel monotonicity) and cached by digest;
 * ref → digest resolutions are cached too, and lifecycle events evict them (see LifecycleReactions),
 * so a promotion, rollback or revocation is seen at the next request.
 */
@Injectable()
export class PersonaResolver {
  readonly mode: RuntimeMode;
  private readonly verified = new BoundedMap<string, VerifiedPersona>(2000);
  private readonly resolutions = new BoundedMap<string, Resolution>(10_000);
  private readonly inFlight = new Map<string, Promise<VerifiedPersona>>();
  /** tenant → revoked `name.vN` and digests learnt from events (the trust root has the rest). */
  private readonly revoked = new Map<string, Set<string>>();
  /** Bumped by every eviction of a persona, so a resolution in flight does not cache a stale answer. */
  private readonly generations = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly urls: ServiceUrls,
    private readonly trustRoots: TrustRoots,
    private readonly store: SealedPackStore,
  ) {
    this.mode = config.runtime.mode;
  }

  /** Parses and checks a ref against the deployment mode: 400 or 403 with the reason. */
  parse(text: string): RuntimeRef {
    const ref = parseRuntimeRef(text);
    if (!ref)
      throw new BadRequestException({
        message: `"${text}" is not a persona ref: ${REF_HINT}`,
        errors: [{ field: 'ref', reason: REF_HINT }],
      });
    const problem = modeProblem(this.mode, ref);
    if (problem) throw new ForbiddenException(problem);
    return ref;
  }

  async resolve(caller: Caller, text: string): Promise<VerifiedPersona> {
    const ref = this.parse(text);
    const key = `${caller.tenantId}\n${ref.text}`;
    const hit = this.resolutions.get(key);
    if (hit && (ref.kind === 'version' || Date.now() - hit.at < CHANNEL_TTL_MS)) {
      const persona = this.verified.get(`${caller.tenantId}\n${hit.digest}`);
      if (persona && !this.revocationOf(caller.tenantId, persona)) return persona;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const work = this.resolveRemote(caller, ref, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  /**
   * The persona an instance was created with, by its digest (after a restart, or on another
   * replica): from the cache, else Redis, else the registry; verified again either way.
   */
  async byDigest(caller: Caller, name: string, version: number, digest: string): Promise<VerifiedPersona> {
    const cached = this.verified.get(`${caller.tenantId}\n${digest}`);
    if (cached) return cached;
    const material = await this.store.get(caller.tenantId, digest);
    if (material && material.name === name && material.version === version && material.digest === digest) {
      try {
        return await this.verify(caller.tenantId, material, { name, version });
      } catch {
        // A cached copy that does not verify is dropped; the registry is the source of truth.
        await this.store.drop(caller.tenantId, digest);
      }
    }
    const persona = await this.resolve(caller, versionRefOf(name, version));
    if (persona.digest !== digest)
      throw new UnprocessableEntityException(
        `persona refused (digest): ${persona.ref} now has digest ${persona.digest}, not the ${digest} this instance runs`,
      );
    return persona;
  }

  /**
   * Why a verified persona may no longer run, if it may not: its version was revoked (an event), or
   * the key that signed it was revoked (the tenant's trust root, re-read every 2 s while in use).
   */
  revocationOf(
    tenantId: string,
    persona: Pick<VerifiedPersona, 'ref' | 'digest' | 'keyId'>,
  ): string | undefined {
    const set = this.revoked.get(tenantId);
    if (set !== undefined && (set.has(persona.ref) || set.has(persona.digest)))
      return `${persona.ref} is revoked`;
    if (this.trustRoots.keyRefused(tenantId, persona.keyId))
      return `${persona.ref} was signed with key ${persona.keyId}, which is revoked`;
    return undefined;
  }

  /** persona.lifecycle revoked: refused from now on, in this process, whatever is cached. */
  markRevoked(tenantId: string, name: string, version: number): void {
    let set = this.revoked.get(tenantId);
    if (!set) this.revoked.set(tenantId, (set = new Set()));
    set.add(versionRefOf(name, version));
    this.evictPersona(tenantId, name);
    this.trustRoots.invalidate(tenantId);
  }

  /** persona.lifecycle promoted / rolled back / deprecated: channel resolutions of the persona are stale. */
  evictPersona(tenantId: string, name: string): void {
    const prefix = `${tenantId}\n${name}`;
    this.generations.set(prefix, (this.generations.get(prefix) ?? 0) + 1);
    this.resolutions.deleteWhere((key) => key.startsWith(`${prefix}@`) || key.startsWith(`${prefix}.v`));
  }

  private async resolveRemote(caller: Caller, ref: RuntimeRef, key: string): Promise<VerifiedPersona> {
    const generationKey = `${caller.tenantId}\n${ref.name}`;
    const generation = this.generations.get(generationKey) ?? 0;
    const resolved = await this.fetch(caller, ref);
    const expected = { name: ref.name, ...(ref.kind === 'version' ? { version: ref.version } : {}) };
    let persona = this.verified.get(`${caller.tenantId}\n${resolved.digest}`);
    if (persona && resolved.channelHistory) {
      // Verified before, but monotonicity is a property of this channel's history now.
      const problem = downgradeProblem(resolved.channelHistory, persona.version);
      if (problem) throw refused('channel-monotonicity', problem);
    }
    if (!persona || persona.name !== ref.name) {
      const material: SealedMaterial = {
        name: resolved.name,
        version: resolved.version,
        digest: resolved.digest,
        canonical: resolved.canonical,
        bundle: resolved.bundle,
      };
      persona = await this.verify(caller.tenantId, material, expected, resolved.channelHistory);
      void this.store.put(caller.tenantId, material);
    }
    const revocation = this.revocationOf(caller.tenantId, persona);
    if (revocation) throw new GoneException(revocation);
    if ((this.generations.get(generationKey) ?? 0) === generation)
      this.resolutions.set(key, {
        digest: persona.digest,
        name: persona.name,
        version: persona.version,
        at: Date.now(),
      });
    return persona;
  }

  private async verify(
    tenantId: string,
    material: SealedMaterial,
    expected: { name: string; version?: number },
    channelHistory?: ChannelHistory,
  ): Promise<VerifiedPersona> {
    const trust = await this.trustRoots.get(tenantId);
    const revokedVersions = new Set([...trust.revokedVersions, ...(this.revoked.get(tenantId) ?? [])]);
    const result = await verifySealedPackAsync({
      bundle: material.bundle,
      pack: Buffer.from(material.canonical, 'utf8'),
      expected,
      trustedKeys: trust.trustedKeys,
      revokedVersions,
      transparencyLog: trust.transparencyLog,
      ...(channelHistory ? { channelHistory } : {}),
    });
    if (!result.ok) throw refused(result.check, result.reason);
    const digest = `sha256:${result.digest}`;
    if (digest !== material.digest)
      throw refused('digest', `the registry named digest ${material.digest}, the pack hashes to ${digest}`);
    const check = checkPack(result.pack);
    if (!check.ok)
      throw refused(
        'format',
        `the sealed pack does not validate: ${check.problems
          .map((p) => `${p.pointer} ${p.reason}`)
          .join('; ')
          .slice(0, 300)}`,
      );
    const persona: VerifiedPersona = {
      tenantId,
      ref: result.ref,
      name: expected.name,
      version: check.pack.metadata.version ?? material.version,
      digest,
      pack: check.pack,
      keyId: result.keyId,
      logIndex: result.logIndex,
    };
    this.verified.set(`${tenantId}\n${digest}`, persona);
    return persona;
  }

  private async fetch(caller: Caller, ref: RuntimeRef): Promise<ResolvedRef> {
    try {
      return await registryAs(this.urls, caller).resolve(ref.text);
    } catch (error) {
      if (error instanceof PersonaeApiError) {
        const reason = error.body.message ?? error.message;
        if (error.status === 404) throw new NotFoundException(`unknown persona ref ${ref.text}: ${reason}`);
        if (error.status === 410) throw new GoneException(reason);
        if (error.status === 400 || error.status === 401 || error.status === 403)
          throw new HttpException(`the registry refused to resolve ${ref.text}: ${reason}`, error.status);
        throw new BadGatewayException(
          `the registry failed to resolve ${ref.text} (${error.status}): ${reason}`,
        );
      }
      throw new BadGatewayException(`the registry could not be reached: ${(error as Error).message}`);
    }
  }
}

/** A pack that does not verify: 422 naming the failed check. */
export function refused(check: string, reason: string): UnprocessableEntityException {
  return new UnprocessableEntityException(`persona refused (${check}): ${reason}`);
}
