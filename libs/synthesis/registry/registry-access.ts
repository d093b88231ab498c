import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyService, signJwt } from '@personae/auth';
import { APP_CONFIG, type AppConfig } from '@personae/config';
import { HttpClient, RegistryClient } from '@personae/sdk';
import { ServiceUrls } from '@personae/service-kit';

/** Saving a draft validates and stores a pack of up to 512 KiB: allow more than the default 10 s. */
const REGISTRY_TIMEOUT_MS = 30_000;
/** Lifetime of a delegated token: one run's registry calls. */
const TOKEN_SECONDS = 300;

/**
 * The pipeline's credentials for the registry. With AUTH_JWT_SECRET it acts for the trainer who closed
 * the session (a five-minute trainer JWT whose subject is the trainer): the draft is authored by the
 * trainer, as if they had saved it. Without it, the pipeline mints itself one trainer API key per
 * tenant (label `synthesis-pipeline`, on record in the auth schema) and names the trainer in the
 * draft's trainerIds, which keeps them out of its review either way.
 */
@Injectable()
export class RegistryAccess {
  private readonly keys = new Map<string, Promise<string>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly urls: ServiceUrls,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async clientFor(tenantId: string, trainerId: string, correlationId?: string): Promise<RegistryClient> {
    return new RegistryClient(
      new HttpClient({
        baseUrl: this.urls.registry(),
        token: await this.tokenFor(tenantId, trainerId),
        timeoutMs: REGISTRY_TIMEOUT_MS,
        ...(correlationId ? { correlationId } : {}),
      }),
    );
  }

  private tokenFor(tenantId: string, trainerId: string): Promise<string> {
    const { jwtSecret, jwtIssuer } = this.config.auth;
    if (jwtSecret && trainerId)
      return Promise.resolve(
        signJwt(
          { sub: trainerId, tenant: tenantId, role: 'trainer' },
          { secret: jwtSecret, issuer: jwtIssuer, expiresInSeconds: TOKEN_SECONDS },
        ),
      );
    let key = this.keys.get(tenantId);
    if (!key) {
      key = this.apiKeys
        .mint({
          tenantId,
          role: 'trainer',
          label: 'synthesis-pipeline',
          createdBy: 'service:synthesis-pipeline',
        })
        .then((minted) => minted.token);
      // A failed mint is not cached: the next run tries again.
      key.catch(() => this.keys.delete(tenantId));
      this.keys.set(tenantId, key);
    }
    return key;
  }
}
