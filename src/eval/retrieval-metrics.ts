/**
 * Binary-relevance nDCG@k: gains 1/log2(rank + 1) for each gold item in the top k, divided by
 * the best possible (all gold first). Duplicates in `ranked` count once.
 */
export function ndcgAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  if (gold.size === 0) return 0;
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, k).forEach((item, index) => {
    if (gold.has(item) && !seen.has(item)) dcg += 1 / Math.log2(index + 2);
    seen.add(item);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(gold.size, k); index++) ideal += 1 / Math.log2(index + 2);
  return dcg / ideal;
}

/** The share of gold items found in the top k. */
export function recallAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  if (gold.size === 0) return 0;
  const found = new Set(ranked.slice(0, k).filter((item) => gold.has(item)));
  return found.size / gold.size;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? 0;
}
