import { describe, expect, it } from 'vitest';
import { ndcgAt, percentile, recallAt } from '../../src/eval/retrieval-metrics.js';

describe('ndcgAt', () => {
  it('is 1 when the gold tools lead the ranking, in any order', () => {
    expect(ndcgAt(['b', 'a', 'x'], new Set(['a', 'b']), 10)).toBeCloseTo(1, 10);
  });

  it('discounts gold found lower down by log2(rank + 1)', () => {
    // DCG = 1/log2(3) + 1/log2(5) = 1.061606; ideal = 1 + 1/log2(3) = 1.630930.
    expect(ndcgAt(['x', 'a', 'y', 'b'], new Set(['a', 'b']), 10)).toBeCloseTo(0.650917, 5);
  });

  it('ignores gold beyond k and counts a repeated item once', () => {
    const ranked = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'a'];
    expect(ndcgAt(ranked, new Set(['a']), 10)).toBe(0);
    expect(ndcgAt(['a', 'a'], new Set(['a', 'b']), 10)).toBeCloseTo(1 / 1.63093, 5);
  });

  it('caps the ideal at k when there is more gold than k', () => {
    expect(ndcgAt(['a', 'b'], new Set(['a', 'b', 'c']), 2)).toBeCloseTo(1, 10);
  });
});

describe('recallAt', () => {
  it('is the share of gold tools in the top k', () => {
    expect(recallAt(['a', 'x', 'y', 'z', 'w', 'b'], new Set(['a', 'b']), 5)).toBe(0.5);
    expect(recallAt(['a', 'x', 'y', 'z', 'w', 'b'], new Set(['a', 'b']), 6)).toBe(1);
    expect(recallAt([], new Set(['a']), 5)).toBe(0);
  });
});

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBe(0);
  });
});
