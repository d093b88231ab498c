/**
 * Counts hashed features of one text in an open-addressing table that is reused from text to text
 * (a generation stamp marks live slots, so nothing is cleared): the embedder's hot loop allocates nothing.
 */
export class FeatureCounter {
  private keys: Int32Array;
  private counts: Uint32Array;
  private kinds: Uint8Array;
  private stamps: Uint32Array;
  private used: Int32Array;
  private size = 0;
  private stamp = 1;
  private mask: number;

  constructor(capacity = 4096) {
    this.keys = new Int32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  reset(): void {
    this.size = 0;
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    if (this.stamp === 1) this.stamps.fill(0);
  }

  add(key: number, kind: number): void {
    if (this.size * 2 >= this.keys.length) this.grow();
    const k = key | 0;
    let slot = (Math.imul(k, 0x9e3779b1) >>> 0) & this.mask;
    while (this.stamps[slot] === this.stamp) {
      if (this.keys[slot] === k && this.kinds[slot] === kind) {
        this.counts[slot]!++;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    this.stamps[slot] = this.stamp;
    this.keys[slot] = k;
    this.kinds[slot] = kind;
    this.counts[slot] = 1;
    this.used[this.size++] = slot;
  }

  /** Calls back once per distinct feature: its key (unsigned), kind and count. */
  forEach(visit: (key: number, kind: number, count: number) => void): void {
    for (let i = 0; i < this.size; i++) {
      const slot = this.used[i]!;
      visit(this.keys[slot]! >>> 0, this.kinds[slot]!, this.counts[slot]!);
    }
  }

  private grow(): void {
    const old = { keys: this.keys, counts: this.counts, kinds: this.kinds, used: this.used, size: this.size };
    const capacity = this.keys.length * 2;
    this.keys = new Int32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.stamps = new Uint32Array(capacity);
    this.used = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    this.stamp = 1;
    for (let i = 0; i < old.size; i++) {
      const slot = old.used[i]!;
      this.add(old.keys[slot]!, old.kinds[slot]!);
      // add() counted 1: restore the real count on the slot it landed in.
      this.counts[this.used[this.size - 1]!] = old.counts[slot]!;
    }
  }
}
