/**
 * Action patterns compiled into lookups: exact names in a Map, `prefix.*` wildcards in a Map keyed by
 * prefix, `*` in a list. A lookup walks the action's dot prefixes (`a.b.c` → `a.`, `a.b.`), so its cost
 * depends on the action's depth, not on the number of rules. Results are cached per name.
 */
export class PatternIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly prefixes = new Map<string, T[]>();
  private readonly everything: T[] = [];
  private readonly cache = new Map<string, readonly T[]>();
  private static readonly CACHE_LIMIT = 10_000;

  add(pattern: string, item: T): void {
    if (pattern === '*') this.everything.push(item);
    else if (pattern.endsWith('.*')) push(this.prefixes, pattern.slice(0, -1), item);
    else push(this.exact, pattern, item);
  }

  /** Items whose pattern matches `name`, in insertion order of each bucket. */
  lookup(name: string): readonly T[] {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const found: T[] = [...this.everything];
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
      const bucket = this.prefixes.get(name.slice(0, dot + 1));
      if (bucket) found.push(...bucket);
    }
    const exact = this.exact.get(name);
    if (exact) found.push(...exact);
    // A bounded cache: callers could send unbounded distinct names.
    if (this.cache.size >= PatternIndex.CACHE_LIMIT) this.cache.clear();
    this.cache.set(name, found);
    return found;
  }
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const bucket = map.get(key);
  if (bucket) bucket.push(item);
  else map.set(key, [item]);
}

/** The pack's pattern semantics: `*`, a trailing `.*` (any depth), or an exact name. */
export function patternMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

/** True when every name `inner` matches is also matched by `outer`. */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === '*') return true;
  if (inner === '*') return false;
  if (outer.endsWith('.*')) return inner.startsWith(outer.slice(0, -1));
  return outer === inner;
}

/** Persona name patterns: `*`, a trailing `*` (`legal-*`), or an exact name. */
export function nameMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
