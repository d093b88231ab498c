import { BadGatewayException, Injectable } from '@nestjs/common';
import { HttpClient, RegistryClient } from '@personae/sdk';
import { currentCorrelationId, ServiceUrls } from '@personae/service-kit';
import { PROD_CHANNEL } from '../domain/runtime-mode';
import { PersonaResolver, type Caller } from './persona-resolver';

/** What GET /v1/models lists: the refs this deployment would run, read from the registry. */
@Injectable()
export class PersonaCatalogue {
  constructor(
    private readonly urls: ServiceUrls,
    private readonly resolver: PersonaResolver,
  ) {}

  async refs(caller: Caller): Promise<{ id: string; created: number }[]> {
    const registry = new RegistryClient(
      new HttpClient({
        baseUrl: this.urls.registry(),
        token: caller.token,
        timeoutMs: 10_000,
        correlationId: currentCorrelationId(),
      }),
    );
    try {
      const { items } = await registry.listPersonas({ limit: 100 });
      const perPersona = await Promise.all(
        items.map(async (persona) => {
          const created = Math.floor(Date.parse(persona.createdAt) / 1000);
          const refs: { id: string; created: number }[] = [];
          if (this.resolver.mode === 'dev' && persona.latestVersion)
            refs.push({ id: `${persona.name}.v${persona.latestVersion}`, created });
          const { channels } = await registry.channels(persona.name);
          for (const channel of channels)
            if (channel.version && (this.resolver.mode === 'dev' || channel.channel === PROD_CHANNEL))
              refs.push({ id: `${persona.name}@${channel.channel}`, created });
          return refs;
        }),
      );
      return perPersona.flat();
    } catch (error) {
      throw new BadGatewayException(`the registry could not list personas: ${(error as Error).message}`);
    }
  }
}
