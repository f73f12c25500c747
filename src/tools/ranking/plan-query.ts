import { bigramKey, type PostingList } from './build-postings.js';
import { relatedTerms } from './related-words.js';
import { tokenize } from './tokenize.js';

export interface QueryTerm {
  /** Which of the query's own terms this one stands for (an index into `origins`). */
  origin: number;
  list: PostingList;
  weight: number;
}

export interface QueryPlan {
  /** The query's distinct stemmed terms, in order of first use. */
  origins: string[];
  terms: QueryTerm[];
}

export interface QueryExpansion {
  /** Stems at least this long also match indexed stems they extend or that extend them. */
  prefixMinLength: number;
  prefixWeight: number;
  /** Weight of near-synonyms from the related-words table. */
  relatedWeight: number;
  /** Weight of an adjacent query word pair found adjacent (in either order) in a tool name. */
  bigramWeight: number;
}

export interface TermLookup {
  postings: ReadonlyMap<string, PostingList>;
  /** Every indexed single term, sorted, for prefix lookups. */
  vocabulary: readonly string[];
}

/** More prefix variants per query term add noise and time, not recall. */
const MAX_PREFIX_VARIANTS = 8;

/**
 * Turns query text into weighted posting lists: its own terms at weight 1, then morphological
 * variants the stemmer misses ("financial" → "financ", "repo" ← "repository"), near-synonyms
 * ("remove" → "delete") and name word pairs at lower weights. A variant reachable from several
 * query terms counts once, at its highest weight; one that is itself a query term adds nothing.
 */
export function planQuery(text: string, lookup: TermLookup, expansion: QueryExpansion): QueryPlan {
  const sequence = tokenize(text);
  const origins = [...new Set(sequence)];
  const direct = new Set(origins);
  const terms: QueryTerm[] = [];
  const variants = new Map<string, QueryTerm>();
  const addVariant = (term: string, origin: number, weight: number): void => {
    if (direct.has(term) || weight <= 0) return;
    const list = lookup.postings.get(term);
    if (list === undefined) return;
    const existing = variants.get(term);
    if (existing === undefined) variants.set(term, { origin, list, weight });
    else if (existing.weight < weight) variants.set(term, { origin, list, weight });
  };

  origins.forEach((term, origin) => {
    const list = lookup.postings.get(term);
    if (list !== undefined) terms.push({ origin, list, weight: 1 });
    for (const variant of prefixVariants(term, lookup, expansion.prefixMinLength)) {
      addVariant(variant, origin, expansion.prefixWeight);
    }
    for (const related of relatedTerms(term)) addVariant(related, origin, expansion.relatedWeight);
  });
  for (let index = 0; index + 1 < sequence.length; index++) {
    const first = sequence[index] ?? '';
    const second = sequence[index + 1] ?? '';
    if (first !== second) {
      addVariant(bigramKey(first, second), origins.indexOf(first), expansion.bigramWeight);
    }
  }
  terms.push(...variants.values());
  return { origins, terms };
}

/** Indexed stems that `term` extends or that extend `term` ("financ" ↔ "financi"). */
function prefixVariants(term: string, lookup: TermLookup, minimum: number): string[] {
  if (minimum <= 0 || term.length < minimum) return [];
  const variants: string[] = [];
  for (let length = minimum; length < term.length; length++) {
    const shorter = term.slice(0, length);
    if (lookup.postings.has(shorter)) variants.push(shorter);
  }
  const { vocabulary } = lookup;
  for (
    let index = lowerBound(vocabulary, term);
    index < vocabulary.length && variants.length < MAX_PREFIX_VARIANTS;
    index++
  ) {
    const candidate = vocabulary[index] ?? '';
    if (!candidate.startsWith(term)) break;
    if (candidate !== term) variants.push(candidate);
  }
  return variants;
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
