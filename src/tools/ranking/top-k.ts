/** `a` ranks before `b`: higher score first, then lower id, so equal scores order stably. */
function ranksBefore(scores: Float64Array, a: number, b: number): boolean {
  const left = scores[a] ?? 0;
  const right = scores[b] ?? 0;
  return left > right || (left === right && a < b);
}

/**
 * The best `k` of `candidates` by `scores[id]`, best first. A bounded min-heap keeps this
 * O(n log k), so a common term touching most of a 100k-tool catalog does not cost a full sort.
 */
export function topK(candidates: readonly number[], scores: Float64Array, k: number): number[] {
  if (k <= 0) return [];
  if (candidates.length <= k) {
    return [...candidates].sort((a, b) => (ranksBefore(scores, a, b) ? -1 : 1));
  }
  // heap[0] is the worst of the kept candidates.
  const heap: number[] = [];
  const worse = (i: number, j: number): boolean => ranksBefore(scores, heap[j] ?? 0, heap[i] ?? 0);
  const swap = (i: number, j: number): void => {
    const held = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = held;
  };
  const siftDown = (start: number): void => {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && worse(left, smallest)) smallest = left;
      if (right < heap.length && worse(right, smallest)) smallest = right;
      if (smallest === index) return;
      swap(index, smallest);
      index = smallest;
    }
  };
  for (const id of candidates) {
    if (heap.length < k) {
      heap.push(id);
      let index = heap.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!worse(index, parent)) break;
        swap(index, parent);
        index = parent;
      }
    } else if (ranksBefore(scores, id, heap[0] ?? 0)) {
      heap[0] = id;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (ranksBefore(scores, a, b) ? -1 : 1));
}
