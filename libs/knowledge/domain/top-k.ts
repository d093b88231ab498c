export interface Ranked {
  row: number;
  score: number;
}

/**
 * The `k` best rows of `scores` (highest first, ties by lower row) among those `accept` lets through,
 * with a size-k min-heap: O(n log k) instead of sorting every score.
 */
export function topK(scores: Float32Array, k: number, accept?: (row: number) => boolean): Ranked[] {
  if (k <= 0) return [];
  const heapRows = new Int32Array(k);
  const heapScores = new Float64Array(k);
  let size = 0;
  // `worse(a, b)`: a ranks below b. The heap's root is the worst kept row.
  const worse = (sa: number, ra: number, sb: number, rb: number): boolean =>
    sa < sb || (sa === sb && ra > rb);
  const siftDown = (from: number): void => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < size &&
        worse(heapScores[left]!, heapRows[left]!, heapScores[smallest]!, heapRows[smallest]!)
      )
        smallest = left;
      if (
        right < size &&
        worse(heapScores[right]!, heapRows[right]!, heapScores[smallest]!, heapRows[smallest]!)
      )
        smallest = right;
      if (smallest === i) return;
      swap(heapRows, heapScores, i, smallest);
      i = smallest;
    }
  };
  for (let row = 0; row < scores.length; row++) {
    const score = scores[row]!;
    if (size === k && !worse(heapScores[0]!, heapRows[0]!, score, row)) continue;
    if (accept && !accept(row)) continue;
    if (size < k) {
      let i = size++;
      heapRows[i] = row;
      heapScores[i] = score;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!worse(heapScores[i]!, heapRows[i]!, heapScores[parent]!, heapRows[parent]!)) break;
        swap(heapRows, heapScores, i, parent);
        i = parent;
      }
    } else {
      heapRows[0] = row;
      heapScores[0] = score;
      siftDown(0);
    }
  }
  const out: Ranked[] = [];
  for (let i = 0; i < size; i++) out.push({ row: heapRows[i]!, score: heapScores[i]! });
  return out.sort((a, b) => b.score - a.score || a.row - b.row);
}

function swap(rows: Int32Array, scores: Float64Array, a: number, b: number): void {
  const row = rows[a]!;
  rows[a] = rows[b]!;
  rows[b] = row;
  const score = scores[a]!;
  scores[a] = scores[b]!;
  scores[b] = score;
}
