import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { diffPacks, explainDiff, type ExplainedChange, type Provenance } from '@personae/pack';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import { parseDiffSide, versionRef, type DiffSide } from '../domain/persona-ref';
import { REGISTRY_SCHEMA, registryTables, type RegistryTables } from '../store/registry-tables';
import { allowed } from '../use-cases/refusals';

export interface PackDiff {
  from: string;
  to: string;
  changes: ExplainedChange[];
  /** Changes no provenance entry of `to` explains: where reviewers should look hardest. */
  unexplained: number;
}

/** A diff between any two versions, or a version and a draft, of one persona, with `to`'s provenance. */
@Injectable()
export class DiffQuery {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  async execute(principal: Principal, name: string, fromText: string, toText: string): Promise<PackDiff> {
    const from = allowed(parseDiffSide(fromText));
    const to = allowed(parseDiffSide(toText));
    const tables = registryTables(this.dataSource.manager, principal);
    await tables.personas.get({ name }, `persona ${name}`);
    const a = await packOf(tables, name, from);
    const b = await packOf(tables, name, to);
    const provenance = (b.pack as { provenance?: Provenance }).provenance;
    const changes = explainDiff(diffPacks(a.pack, b.pack), provenance);
    return {
      from: a.label,
      to: b.label,
      changes,
      unexplained: changes.filter((c) => c.provenance.length === 0).length,
    };
  }
}

async function packOf(
  tables: RegistryTables,
  name: string,
  side: DiffSide,
): Promise<{ label: string; pack: unknown }> {
  if (side.kind === 'version') {
    const label = versionRef(name, side.version);
    const version = await tables.versions.findOne({ personaName: name, version: side.version });
    if (!version) throw new NotFoundException(`version ${label} not found`);
    return { label, pack: JSON.parse(version.canonical) as unknown };
  }
  const draft = await tables.drafts.findOne({ id: side.id, personaName: name });
  if (!draft) throw new NotFoundException(`draft ${side.id} of ${name} not found`);
  return { label: `draft:${side.id}`, pack: draft.pack };
}
