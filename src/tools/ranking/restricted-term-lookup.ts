import type { PostingList } from './build-postings.js';
import { segmentsOf, type PostingSegment, type TermLookup } from './term-lookup.js';

/**
 * The lookup of a larger index narrowed to some of its documents, renumbered 0 … n-1 in the
 * order of `documents` (ascending ids of the larger index). Weights, name shares and idf stay
 * those of the larger index, so a search over the subset ranks its documents exactly as the
 * larger index would, while touching only the subset: this is how a subagent's few dozen tools
 * are ranked per task without walking the catalog's posting lists.
 */
export function createRestrictedTermLookup(lookup: TermLookup, documents: Int32Array): TermLookup {
  const cache = new Map<string, PostingList | undefined>();
  const known = new Map<string, boolean>();
  const get = (term: string): PostingList | undefined => {
    if (cache.has(term)) return cache.get(term);
    const segments = segmentsOf(lookup, term);
    const restricted = segments === undefined ? undefined : restrict(segments, documents);
    cache.set(term, restricted);
    known.set(term, segments !== undefined);
    return restricted;
  };
  return {
    get,
    extensions: (prefix, limit) => lookup.extensions(prefix, limit),
    has(term) {
      if (!known.has(term)) get(term);
      return known.get(term) === true;
    },
  };
}

/** The documents' postings in the segments, renumbered by position in `documents`. */
function restrict(segments: PostingSegment[], documents: Int32Array): PostingList | undefined {
  const docs: number[] = [];
  const weights: number[] = [];
  const nameShares: number[] = [];
  segments.forEach(({ list, offset }, index) => {
    // Documents are ascending and segments do not overlap: this segment's are a range.
    const from = lowerBound(documents, offset, 0);
    const next = segments[index + 1]?.offset ?? Number.POSITIVE_INFINITY;
    const to =
      next === Number.POSITIVE_INFINITY ? documents.length : lowerBound(documents, next, from);
    const keep = (position: number, local: number) => {
      docs.push(local);
      weights.push(list.weights[position] ?? 0);
      nameShares.push(list.nameShares[position] ?? 0);
    };
    const size = list.docs.length;
    if ((to - from) * Math.log2(size + 1) < size) {
      // Few documents, a long list: binary-search each.
      let low = 0;
      for (let local = from; local < to; local++) {
        const doc = (documents[local] ?? 0) - offset;
        low = lowerBound(list.docs, doc, low);
        if (list.docs[low] === doc) keep(low, local);
      }
    } else {
      // Merge the two ascending sequences.
      let position = 0;
      for (let local = from; local < to; local++) {
        const doc = (documents[local] ?? 0) - offset;
        while (position < size && (list.docs[position] ?? 0) < doc) position++;
        if (list.docs[position] === doc) keep(position, local);
      }
    }
  });
  if (docs.length === 0) return undefined;
  return {
    docs: Int32Array.from(docs),
    weights: Float64Array.from(weights),
    nameShares: Float64Array.from(nameShares),
    idf: segments[0]?.list.idf ?? 0,
  };
}

function lowerBound(sorted: Int32Array, value: number, from: number): number {
  let low = from;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? 0) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
