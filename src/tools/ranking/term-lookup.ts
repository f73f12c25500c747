import { isBigramKey, type PostingList } from './build-postings.js';

/** A posting list whose document ids are shifted by `offset`: one part of a joined corpus. */
export interface PostingSegment {
  list: PostingList;
  offset: number;
}

/** Where a query finds the posting list of a term: an in-memory map, a stored index, or both. */
export interface TermLookup {
  get(term: string): PostingList | undefined;
  /**
   * The term's list as parts read one after the other, ascending, without joining them into
   * one list (a copy). Lookups of one part need not provide it.
   */
  segments?(term: string): PostingSegment[] | undefined;
  /** Indexed single terms (never word pairs) longer than `prefix` that start with it, sorted. */
  extensions(prefix: string, limit: number): string[];
  /**
   * Whether the corpus has the term. A lookup narrowed to some of a corpus's documents answers
   * for the whole corpus, as `extensions` does, so a query is planned the same over the part
   * as over the whole. Lookups that are the whole corpus need not provide it.
   */
  has?(term: string): boolean;
}

/** Whether the lookup's corpus has the term (see `TermLookup.has`). */
export function hasTerm(lookup: TermLookup, term: string): boolean {
  return lookup.has?.(term) ?? segmentsOf(lookup, term) !== undefined;
}

/** A term's list as segments, from any lookup. */
export function segmentsOf(lookup: TermLookup, term: string): PostingSegment[] | undefined {
  if (lookup.segments !== undefined) return lookup.segments(term);
  const list = lookup.get(term);
  return list === undefined ? undefined : [{ list, offset: 0 }];
}

/** The lookup over postings built in memory. */
export function createMapTermLookup(postings: ReadonlyMap<string, PostingList>): TermLookup {
  const vocabulary = [...postings.keys()].filter((term) => !isBigramKey(term)).sort();
  return {
    get: (term) => postings.get(term),
    extensions: (prefix, limit) => sortedExtensions(vocabulary, prefix, limit),
  };
}

/** Entries of a sorted list that extend `prefix` (not `prefix` itself), at most `limit`. */
export function sortedExtensions(
  sorted: readonly string[],
  prefix: string,
  limit: number,
): string[] {
  const found: string[] = [];
  for (
    let index = lowerBound(sorted, prefix);
    index < sorted.length && found.length < limit;
    index++
  ) {
    const candidate = sorted[index] ?? '';
    if (!candidate.startsWith(prefix)) break;
    if (candidate !== prefix) found.push(candidate);
  }
  return found;
}

/** The first index whose entry is not below `value`. */
export function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
