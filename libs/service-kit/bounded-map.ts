/** A Map that forgets its oldest entry beyond `limit` (insertion order; a hit re-inserts). */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Deletes every entry whose key matches. */
  deleteWhere(match: (key: K, value: V) => boolean): void {
    for (const [key, value] of this.map) if (match(key, value)) this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
