import { BadGatewayException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { PersonaeApiError, type PersonaView } from '@personae/sdk';
import { ServiceUrls } from '@personae/service-kit';
import { PROD_CHANNEL } from '../domain/runtime-mode';
import { PersonaResolver, type Caller } from './persona-resolver';
import { registryAs } from './registry-as';

/** Registry pages read per listing: 10 × 100 personas. */
const MAX_PAGES = 10;
const PAGE_SIZE = 100;
/** Channel reads in flight at once while listing. */
const CHANNEL_READS = 8;

export interface CatalogueModel {
  /** A persona ref: name.vN or name@channel. */
  id: string;
  /** When the persona was created, in seconds (OpenAI's `created`). */
  created: number;
}

/**
 * What GET /v1/models lists and GET /v1/models/:ref describes: the refs this deployment would run,
 * read from the registry with the caller's token (so only the caller's tenant's personas).
 */
@Injectable()
export class PersonaCatalogue {
  private readonly logger = new Logger(PersonaCatalogue.name);

  constructor(
    private readonly urls: ServiceUrls,
    private readonly resolver: PersonaResolver,
  ) {}

  /** Every persona's runnable refs: its latest version (dev mode) and its channels (prod only in prod mode). */
  async refs(caller: Caller): Promise<CatalogueModel[]> {
    const registry = registryAs(this.urls, caller);
    try {
      const personas: PersonaView[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        const { items, total } = await registry.listPersonas({ limit: PAGE_SIZE, offset: page * PAGE_SIZE });
        personas.push(...items);
        if (items.length < PAGE_SIZE || personas.length >= total) break;
        if (page === MAX_PAGES - 1)
          this.logger.warn(
            `GET /v1/models lists the first ${personas.length} of ${total} personas of tenant ${caller.tenantId}`,
          );
      }
      const perPersona = await mapLimited(personas, CHANNEL_READS, async (persona) => {
        const created = Math.floor(Date.parse(persona.createdAt) / 1000);
        const refs: CatalogueModel[] = [];
        if (this.resolver.mode === 'dev' && persona.latestVersion)
          refs.push({ id: `${persona.name}.v${persona.latestVersion}`, created });
        const { channels } = await registry.channels(persona.name);
        for (const channel of channels)
          if (channel.version && (this.resolver.mode === 'dev' || channel.channel === PROD_CHANNEL))
            refs.push({ id: `${persona.name}@${channel.channel}`, created });
        return refs;
      });
      // Offset pages read while personas are created may repeat one.
      return [...new Map(perPersona.flat().map((model) => [model.id, model])).values()];
    } catch (error) {
      throw new BadGatewayException(`the registry could not list personas: ${(error as Error).message}`);
    }
  }

  /**
   * One ref, if this deployment would run it: resolved and verified like an execution's (unknown 404,
   * outside the deployment mode 403, refused 422, revoked 410, with the reason).
   */
  async model(caller: Caller, ref: string): Promise<CatalogueModel> {
    const persona = await this.resolver.resolve(caller, ref);
    try {
      const { createdAt } = await registryAs(this.urls, caller).getPersona(persona.name);
      return { id: ref, created: Math.floor(Date.parse(createdAt) / 1000) };
    } catch (error) {
      // The persona verified (maybe from the cache); only the registry's own answer failed.
      if (error instanceof PersonaeApiError && error.status === 404)
        throw new NotFoundException(`unknown persona ref ${ref}`);
      throw new BadGatewayException(
        `the registry could not describe ${persona.name}: ${(error as Error).message}`,
      );
    }
  }
}

/** `work` over `items` with at most `limit` calls in flight, results in order; the first failure stops it. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
