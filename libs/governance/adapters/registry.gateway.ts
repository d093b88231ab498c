import { BadGatewayException, HttpException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { checkPack, type PersonaPack } from '@personae/pack';
import { HttpClient, PersonaeApiError, RegistryClient } from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';

/**
 * Reads sealed packs from the registry over HTTP with the caller's own token (the registry checks the
 * caller may read them). An unknown persona is the caller's mistake (422), a broken registry is not (502).
 */
@Injectable()
export class RegistryGateway {
  constructor(private readonly urls: ServiceUrls) {}

  async resolvePack(token: string, ref: string): Promise<PersonaPack> {
    const client = new RegistryClient(
      new HttpClient({ baseUrl: this.urls.registry(), token, correlationId: currentCorrelationId() }),
    );
    try {
      const resolved = await client.resolve(ref);
      const parsed = checkPack(resolved.pack);
      if (!parsed.ok) throw new BadGatewayException(`the registry returned an invalid pack for ${ref}`);
      return parsed.pack;
    } catch (error) {
      if (error instanceof HttpException) throw error;
      if (error instanceof PersonaeApiError) {
        if (error.status === 404)
          throw new UnprocessableEntityException({
            message: `unknown persona ${ref}: the registry has no such version or channel`,
            errors: [
              { field: '/persona/ref', reason: `names no persona version the registry knows (${ref})` },
            ],
          });
        if (error.status === 401 || error.status === 403)
          throw new HttpException(
            `the registry refused to resolve ${ref}: ${error.body.message ?? ''}`,
            error.status,
          );
        throw new BadGatewayException(`the registry failed to resolve ${ref} (${error.status})`);
      }
      throw new BadGatewayException(`the registry could not be reached: ${(error as Error).message}`);
    }
  }
}
