import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topK } from '../../../src/tools/ranking/top-k.js';

function fullSort(candidates: number[], scores: Float64Array): number[] {
  return [...candidates].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
}

describe('topK', () => {
  it('returns the same prefix as a full sort by score, ties broken by lower id', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 0, max: 70 }),
        (values, k) => {
          const scores = Float64Array.from(values);
          const candidates = values.map((_, id) => id).reverse();
          expect(topK(candidates, scores, k)).toEqual(fullSort(candidates, scores).slice(0, k));
        },
      ),
    );
  });
});
