import {
  BadGatewayException,
  GoneException,
  HttpException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { PersonaPack } from '@personae/pack';
import {
  HttpClient,
  PersonaeApiError,
  RegistryClient,
  SignerClient,
  trustRootVerification,
} from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';
import { verifySealedPackAsync } from '@personae/trust';
import type { BaseRef } from '../domain/base-ref';

export interface VerifiedBase {
  ref: string;
  /** sha256:<hex> of the signed pack. */
  digest: string;
  pack: PersonaPack;
}

/**
 * The base persona of a session: resolved through the registry with the trainer's own token (the
 * registry checks the trainer may read it), then verified like the runtime does — digest, signature by a
 * trusted key of the tenant, log inclusion, revocation — so a session never trains on unsealed bytes.
 */
@Injectable()
export class BasePersonaGateway {
  constructor(private readonly urls: ServiceUrls) {}

  async resolve(token: string, base: BaseRef): Promise<VerifiedBase> {
    const http = (baseUrl: string): HttpClient =>
      new HttpClient({ baseUrl, token, correlationId: currentCorrelationId(), timeoutMs: 15_000 });
    const resolved = await new RegistryClient(http(this.urls.registry()))
      .resolve(base.ref)
      .catch((error: unknown) => {
        throw registryFailure(base.ref, error);
      });
    const root = await new SignerClient(http(this.urls.signer())).trustRoot().catch((error: unknown) => {
      throw new BadGatewayException(`the signer's trust root could not be read: ${(error as Error).message}`);
    });
    const verdict = await verifySealedPackAsync({
      bundle: resolved.bundle,
      pack: Buffer.from(resolved.canonical, 'utf8'),
      expected: { name: base.name, version: base.version },
      ...trustRootVerification(root),
    });
    if (!verdict.ok)
      throw new UnprocessableEntityException(
        `base persona ${base.ref} failed verification (${verdict.check}): ${verdict.reason}`,
      );
    const digest = verdict.digest.startsWith('sha256:') ? verdict.digest : `sha256:${verdict.digest}`;
    return { ref: verdict.ref, digest, pack: verdict.pack as PersonaPack };
  }
}

function registryFailure(ref: string, error: unknown): HttpException {
  if (error instanceof PersonaeApiError) {
    const reason = error.body.message ?? error.message;
    if (error.status === 404) return new NotFoundException(`base persona ${ref} not found: ${reason}`);
    if (error.status === 410) return new GoneException(`base persona ${ref} is revoked: ${reason}`);
    if (error.status >= 400 && error.status < 500)
      return new HttpException(`the registry refused base persona ${ref}: ${reason}`, error.status);
    return new BadGatewayException(`the registry failed resolving ${ref} (${error.status}): ${reason}`);
  }
  return new BadGatewayException(
    `the registry could not be reached to resolve ${ref}: ${(error as Error).message}`,
  );
}
