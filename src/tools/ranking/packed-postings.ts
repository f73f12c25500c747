import { isBigramKey, type PostingList } from './build-postings.js';
import type { TermLookup } from './term-lookup.js';

/**
 * Posting lists laid end to end in a few typed arrays, as an index is stored on disk: the lists
 * of `terms[i]` are `offsets[i] … offsets[i + 1]` of `docs`, `weights` and `nameShares`. Loading
 * it costs a handful of array reads instead of one object per term.
 */
export interface PackedPostings {
  /** Every term, word pairs included, in ascending code-unit order. */
  terms: string[];
  offsets: Int32Array;
  idfs: Float64Array;
  docs: Int32Array;
  weights: Float32Array;
  nameShares: Float32Array;
}

export function packPostings(postings: ReadonlyMap<string, PostingList>): PackedPostings {
  const terms = [...postings.keys()].sort();
  const offsets = new Int32Array(terms.length + 1);
  const idfs = new Float64Array(terms.length);
  let total = 0;
  terms.forEach((term, index) => {
    offsets[index] = total;
    total += postings.get(term)?.docs.length ?? 0;
  });
  offsets[terms.length] = total;
  const docs = new Int32Array(total);
  const weights = new Float32Array(total);
  const nameShares = new Float32Array(total);
  terms.forEach((term, index) => {
    const list = postings.get(term);
    if (list === undefined) return;
    const start = offsets[index] ?? 0;
    idfs[index] = list.idf;
    docs.set(list.docs, start);
    weights.set(list.weights, start);
    nameShares.set(list.nameShares, start);
  });
  return { terms, offsets, idfs, docs, weights, nameShares };
}

/** Looks terms up by binary search; each list is a view into the packed arrays (no copy). */
export function createPackedTermLookup(packed: PackedPostings): TermLookup {
  const { terms, offsets } = packed;
  const find = (term: string): number => {
    let low = 0;
    let high = terms.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const current = terms[middle] ?? '';
      if (current === term) return middle;
      if (current < term) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };
  return {
    get(term) {
      const index = find(term);
      if (index < 0) return undefined;
      const start = offsets[index] ?? 0;
      const end = offsets[index + 1] ?? start;
      return {
        docs: packed.docs.subarray(start, end),
        weights: packed.weights.subarray(start, end),
        nameShares: packed.nameShares.subarray(start, end),
        idf: packed.idfs[index] ?? 0,
      };
    },
    extensions(prefix, limit) {
      const found: string[] = [];
      let low = 0;
      let high = terms.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((terms[middle] ?? '') < prefix) low = middle + 1;
        else high = middle;
      }
      // Word pairs extending a term ("contact list") sort among its extensions: skip them.
      for (let index = low; index < terms.length && found.length < limit; index++) {
        const candidate = terms[index] ?? '';
        if (!candidate.startsWith(prefix)) break;
        if (candidate !== prefix && !isBigramKey(candidate)) found.push(candidate);
      }
      return found;
    },
  };
}
