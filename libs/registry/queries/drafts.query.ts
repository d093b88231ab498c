import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@personae/auth';
import { InjectDataSource } from '@personae/persistence';
import type { DataSource } from 'typeorm';
import type { DraftState } from '../domain/lifecycle';
import type { DraftEntity } from '../store/draft.entity';
import { REGISTRY_SCHEMA, registryTables } from '../store/registry-tables';
import type { ReviewEntity } from '../store/review.entity';

export interface DraftFilters {
  /** Full-text query (web-search syntax: words, "phrases", -excluded, or); results ranked by relevance. */
  q?: string;
  /** Every tag must be present. */
  tags?: string[];
  /** Every capability must be present. */
  capabilities?: string[];
  category?: string;
  /** The principal that created the draft. */
  createdBy?: string;
  state?: DraftState;
  name?: string;
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface RankedDraft {
  draft: DraftEntity;
  /** ts_rank of the draft for `q`; absent without `q`. */
  rank?: number;
}

@Injectable()
export class DraftQueries {
  constructor(@InjectDataSource(REGISTRY_SCHEMA) private readonly dataSource: DataSource) {}

  async get(principal: Principal, id: string): Promise<{ draft: DraftEntity; reviews: ReviewEntity[] }> {
    const tables = registryTables(this.dataSource.manager, principal);
    const draft = await tables.drafts.findOne({ id });
    if (!draft) throw new NotFoundException(`draft ${id} not found`);
    const reviews = await tables.reviews.find({ where: { draftId: id }, order: { at: 'ASC', id: 'ASC' } });
    return { draft, reviews };
  }

  /** Filtered drafts, newest first; with `q`, the matching ones by rank (names weigh most). */
  async list(principal: Principal, filters: DraftFilters): Promise<Page<RankedDraft>> {
    const query = registryTables(this.dataSource.manager, principal).drafts.queryBuilder('d');
    const contains = (key: string, value: unknown) =>
      query.andWhere(`d.pack @> CAST(:${key} AS jsonb)`, { [key]: JSON.stringify(value) });
    if (filters.tags?.length) contains('tags', { metadata: { tags: filters.tags } });
    if (filters.capabilities?.length)
      contains('capabilities', { spec: { capabilities: filters.capabilities } });
    if (filters.category) contains('category', { metadata: { category: filters.category } });
    if (filters.createdBy) query.andWhere('d.authorId = :createdBy', { createdBy: filters.createdBy });
    if (filters.state) query.andWhere('d.state = :state', { state: filters.state });
    if (filters.name) query.andWhere('d.personaName = :name', { name: filters.name });
    if (filters.q) {
      query
        .andWhere(`d.search @@ websearch_to_tsquery('english', :q)`, { q: filters.q })
        .addSelect(`ts_rank(d.search, websearch_to_tsquery('english', :q))`, 'rank')
        .orderBy('rank', 'DESC');
    }
    query.addOrderBy('d.updatedAt', 'DESC').addOrderBy('d.id', 'DESC');
    const total = await query.getCount();
    const { entities, raw } = await query
      .offset(filters.offset)
      .limit(filters.limit)
      .getRawAndEntities<{ rank?: number }>();
    const items = entities.map((draft, i) => {
      const rank = raw[i]?.rank;
      return rank === undefined ? { draft } : { draft, rank: Number(rank) };
    });
    return { items, total, limit: filters.limit, offset: filters.offset };
  }
}
