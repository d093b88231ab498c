import { HttpClient, RegistryClient } from '@personae/sdk';
import { currentCorrelationId, type ServiceUrls } from '@personae/service-kit';

/**
 * The registry as the caller sees it: with their token (so their tenant's personas only) and the
 * request's correlation id.
 */
export function registryAs(urls: ServiceUrls, caller: { token: string }): RegistryClient {
  return new RegistryClient(
    new HttpClient({
      baseUrl: urls.registry(),
      token: caller.token,
      timeoutMs: 10_000,
      correlationId: currentCorrelationId(),
    }),
  );
}
