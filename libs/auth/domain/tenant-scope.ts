import { NotFoundException } from '@nestjs/common';
import type {
  DeepPartial,
  FindManyOptions,
  FindOptionsWhere,
  ObjectLiteral,
  Repository,
  SelectQueryBuilder,
} from 'typeorm';
import { isTenantId } from './tenant';

/** Anything that knows its tenant: a Principal, an event envelope's context, a job. */
export interface TenantContext {
  tenantId: string;
}

/** A stored record that belongs to one tenant. */
export interface TenantOwned {
  tenantId: string;
}

function tenantOf(context: TenantContext): string {
  // An empty or malformed tenant would make a filter match nothing or, worse, be skipped.
  if (!isTenantId(context.tenantId)) throw new Error('a tenant-scoped query needs a valid tenant id');
  return context.tenantId;
}

/** The `where` fragment every query on tenant data includes: `{ ...tenantScope(principal), id }`. */
export function tenantScope(context: TenantContext): { tenantId: string } {
  return { tenantId: tenantOf(context) };
}

/**
 * Returns the record when it belongs to the caller's tenant; otherwise 404, the same answer as
 * for a record that does not exist, so one tenant cannot learn what ids another tenant uses.
 */
export function requireSameTenant<T extends TenantOwned>(
  context: TenantContext,
  record: T | null | undefined,
  what = 'resource',
): T {
  if (!record || record.tenantId !== tenantOf(context)) throw new NotFoundException(`${what} not found`);
  return record;
}

type Where<T> = FindOptionsWhere<T> | FindOptionsWhere<T>[];

/** Adds the tenant to every alternative of a `where`, overriding any tenant the caller passed. */
export function scopeWhere<T extends TenantOwned>(
  context: TenantContext,
  where: Where<T> | undefined,
): Where<T> {
  const tenantId = tenantOf(context);
  if (Array.isArray(where)) {
    // An empty OR-list would match every row; scope it to the tenant instead.
    if (where.length === 0) return { tenantId } as FindOptionsWhere<T>;
    return where.map((alternative) => ({ ...alternative, tenantId }));
  }
  return { ...(where ?? {}), tenantId } as FindOptionsWhere<T>;
}

/**
 * A TypeORM repository that can only be used through one tenant's view, so a query without the
 * tenant filter cannot be written by accident: `keys.for(principal).find({ where: { role } })`.
 */
export class TenantScopedRepository<T extends TenantOwned & ObjectLiteral> {
  constructor(private readonly repository: Repository<T>) {}

  for(context: TenantContext): TenantView<T> {
    return new TenantView(this.repository, context);
  }
}

export class TenantView<T extends TenantOwned & ObjectLiteral> {
  readonly tenantId: string;

  constructor(
    private readonly repository: Repository<T>,
    context: TenantContext,
  ) {
    this.tenantId = tenantOf(context);
  }

  find(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.repository.find({ ...options, where: scopeWhere(this, options.where) });
  }

  findOne(where: Where<T>): Promise<T | null> {
    return this.repository.findOne({ where: scopeWhere(this, where) });
  }

  /** The record, or 404 when it does not exist in this tenant. */
  async get(where: Where<T>, what = 'resource'): Promise<T> {
    return requireSameTenant(this, await this.findOne(where), what);
  }

  count(where?: Where<T>): Promise<number> {
    return this.repository.count({ where: scopeWhere(this, where) });
  }

  /** Inserts records stamped with this tenant (any tenantId given is replaced). */
  async insert(...records: DeepPartial<T>[]): Promise<void> {
    await this.repository.insert(records.map((record) => ({ ...record, tenantId: this.tenantId })));
  }

  /** Updates matching records of this tenant; the tenant of a record cannot be changed. Returns rows affected. */
  async update(where: FindOptionsWhere<T>, patch: DeepPartial<T>): Promise<number> {
    const { tenantId: _ignored, ...rest } = patch as DeepPartial<T> & { tenantId?: unknown };
    const result = await this.repository.update(scopeWhere(this, where), rest as never);
    return result.affected ?? 0;
  }

  /** Deletes matching records of this tenant. Returns rows affected. */
  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository.delete(scopeWhere(this, where));
    return result.affected ?? 0;
  }

  /** A query builder already filtered to this tenant; add conditions with `andWhere`. */
  queryBuilder(alias: string): SelectQueryBuilder<T> {
    return this.repository
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :scopeTenantId`, { scopeTenantId: this.tenantId });
  }
}
