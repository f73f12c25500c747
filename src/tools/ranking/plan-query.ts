import { bigramKey, type PostingList } from './build-postings.js';
import { relatedTerms } from './related-words.js';
import { stripRequestFraming } from './strip-request-framing.js';
import { hasTerm, segmentsOf, type PostingSegment, type TermLookup } from './term-lookup.js';
import { analyzeText, splitWords, stem, tokenize } from './tokenize.js';
import { wordNeighbours } from './word-neighbours.js';

export interface QueryTerm {
  /** Which of the query's own terms this one stands for (an index into `origins`). */
  origin: number;
  list: PostingList;
  /** Added to the list's document ids (a segment of a joined corpus). */
  offset: number;
  weight: number;
}

export interface QueryPlan {
  /** The query's distinct stemmed terms, in order of first use. */
  origins: string[];
  /** For each origin, the query word it first came from, as written. */
  words: string[];
  terms: QueryTerm[];
}

export interface QueryExpansion {
  /** Stems at least this long also match indexed stems they extend or that extend them. */
  prefixMinLength: number;
  prefixWeight: number;
  /** Weight of near-synonyms from the related-words table. */
  relatedWeight: number;
  /**
   * Weight, at similarity 1, of the distributional neighbours (word-neighbours.ts) of a query
   * word that no document contains: they are then the only evidence of what it asks for
   * ("weather" for a catalog that says "forecast"). Scaled by the similarity; 0 turns them off.
   */
  neighbourWeight: number;
  /** Weight of an adjacent query word pair found adjacent (in either order) in a tool name. */
  bigramWeight: number;
  /** Weight of two adjacent query words written as one indexed word ("look up" → "lookup"). */
  compoundWeight: number;
  /**
   * Weight of indexed stems one deleted letter or swapped letter pair away from a query stem
   * that is in no document ("strology" for "astrology", "recieve" for "receive").
   */
  typoWeight: number;
}

/** More prefix variants per query term add noise and time, not recall. */
const MAX_PREFIX_VARIANTS = 8;
/** Shorter stems are a letter away from too many other words to guess at a typo. */
const MIN_TYPO_LENGTH = 6;

/**
 * Turns query text into weighted posting lists: its own terms at weight 1, then morphological
 * variants the stemmer misses ("financial" → "financ", "repo" ← "repository"), near-synonyms
 * ("remove" → "delete"), likely typos, words used like an unknown word and name word pairs at
 * lower weights. A variant reachable
 * from several query terms counts once, at its highest weight; one that is itself a query term
 * adds nothing. The request's framing ("can you help me", "I'm interested in") is dropped first.
 */
export function planQuery(query: string, lookup: TermLookup, expansion: QueryExpansion): QueryPlan {
  const text = stripRequestFraming(query);
  const sequence = tokenize(text);
  const origins = [...new Set(sequence)];
  const firstWords = new Map<string, string>();
  for (const { term, word } of analyzeText(text)) {
    if (!firstWords.has(term)) firstWords.set(term, word);
  }
  const words = origins.map((term) => firstWords.get(term) ?? term);
  const direct = new Set(origins);
  const terms: QueryTerm[] = [];
  const variants = new Map<
    string,
    { origin: number; segments: PostingSegment[]; weight: number }
  >();
  const addVariant = (term: string, origin: number, weight: number): void => {
    if (direct.has(term) || weight <= 0) return;
    const segments = segmentsOf(lookup, term);
    if (segments === undefined) return;
    const existing = variants.get(term);
    if (existing === undefined || existing.weight < weight) {
      variants.set(term, { origin, segments, weight });
    }
  };

  origins.forEach((term, origin) => {
    const own = segmentsOf(lookup, term);
    for (const { list, offset } of own ?? []) terms.push({ origin, list, offset, weight: 1 });
    // Unknown to the whole corpus, not just to the documents searched (a restricted lookup),
    // so a subset ranks as it would in the whole index.
    const isUnknown = own === undefined && !hasTerm(lookup, term);
    if (isUnknown) {
      for (const variant of typoVariants(term)) addVariant(variant, origin, expansion.typoWeight);
    }
    for (const variant of prefixVariants(term, lookup, expansion.prefixMinLength)) {
      addVariant(variant, origin, expansion.prefixWeight);
    }
    for (const related of relatedTerms(term)) addVariant(related, origin, expansion.relatedWeight);
    if (isUnknown && expansion.neighbourWeight > 0) {
      for (const { stem: neighbour, similarity } of wordNeighbours(term)) {
        addVariant(neighbour, origin, expansion.neighbourWeight * similarity);
      }
    }
  });
  for (let index = 0; index + 1 < sequence.length; index++) {
    const first = sequence[index] ?? '';
    const second = sequence[index + 1] ?? '';
    if (first !== second) {
      addVariant(bigramKey(first, second), origins.indexOf(first), expansion.bigramWeight);
    }
  }
  if (expansion.compoundWeight > 0) {
    const written = splitWords(text);
    for (let index = 0; index + 1 < written.length; index++) {
      const first = written[index] ?? '';
      const second = written[index + 1] ?? '';
      if (!/^\p{L}+$/u.test(first) || !/^\p{L}+$/u.test(second)) continue;
      const origin = Math.max(origins.indexOf(stem(first)), origins.indexOf(stem(second)));
      if (origin >= 0) addVariant(stem(`${first}${second}`), origin, expansion.compoundWeight);
    }
  }
  for (const { origin, segments, weight } of variants.values()) {
    for (const { list, offset } of segments) terms.push({ origin, list, offset, weight });
  }
  return { origins, words, terms };
}

/** Indexed stems that `term` extends or that extend `term` ("financ" ↔ "financi"). */
function prefixVariants(term: string, lookup: TermLookup, minimum: number): string[] {
  if (minimum <= 0 || term.length < minimum) return [];
  const variants: string[] = [];
  for (let length = minimum; length < term.length; length++) {
    const shorter = term.slice(0, length);
    if (segmentsOf(lookup, shorter) !== undefined) variants.push(shorter);
  }
  variants.push(...lookup.extensions(term, MAX_PREFIX_VARIANTS - variants.length));
  return variants;
}

/**
 * Spellings one deleted letter or one swapped adjacent pair away from `term` (the common
 * typos that leave the word's length close), for Latin-script stems long enough to guess at.
 */
function typoVariants(term: string): string[] {
  if (term.length < MIN_TYPO_LENGTH || !/^[a-z]+$/.test(term)) return [];
  const variants = new Set<string>();
  for (let index = 0; index < term.length; index++) {
    variants.add(term.slice(0, index) + term.slice(index + 1));
    const next = term[index + 1];
    if (next !== undefined && next !== term[index]) {
      variants.add(`${term.slice(0, index)}${next}${term[index] ?? ''}${term.slice(index + 2)}`);
    }
  }
  return [...variants];
}
