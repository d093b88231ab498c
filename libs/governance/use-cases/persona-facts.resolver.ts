import { Injectable } from '@nestjs/common';
import { RegistryGateway } from '../adapters/registry.gateway';
import type { PersonaDescriptor } from '../domain/decide-body.schema';
import { factsOfInline, factsOfPack, type PersonaFacts } from '../domain/persona-facts';

/** A persona described inline is taken as given; one named by ref is read from its sealed pack. */
@Injectable()
export class PersonaFactsResolver {
  constructor(private readonly registry: RegistryGateway) {}

  async facts(token: string, persona: PersonaDescriptor): Promise<PersonaFacts> {
    if ('ref' in persona) return factsOfPack(await this.registry.resolvePack(token, persona.ref));
    return factsOfInline(persona);
  }
}
