import { buildPostings, type CorpusStatistics, type FieldScoring } from './build-postings.js';
import { planQuery, type QueryExpansion, type QueryPlan } from './plan-query.js';
import { OPERATION_TERMS } from './related-words.js';
import { splitClauses } from './split-clauses.js';
import { stripRequestFraming } from './strip-request-framing.js';
import { createMapTermLookup, type TermLookup } from './term-lookup.js';
import { tokenize } from './tokenize.js';
import { topK } from './top-k.js';

export interface IndexedFields {
  /** The service: toolkit slug and its description, or any grouping above the tool. */
  toolkit: string;
  /** The operation's own name. */
  action: string;
  description: string;
  /** Parameter names and their descriptions. */
  parameters?: string;
}

export interface SearchHit {
  id: number;
  score: number;
  /** Words of the query (as written) that matched this document, directly or through a variant. */
  matched: string[];
}

/** Postings built (or loaded) elsewhere, over documents 0 … documentCount - 1. */
export interface PrebuiltPostings {
  lookup: TermLookup;
  documentCount: number;
}

export interface SearchOptions {
  limit?: number;
  filter?: (id: number) => boolean;
  /**
   * False: no distributional neighbours of unknown words, only the words' own forms,
   * spellings and curated synonyms. Domain selection uses this: it decides which services a
   * subagent may use, on evidence the prompt's author can see.
   */
  neighbours?: boolean;
}

export interface LexicalIndexOptions extends FieldScoring, QueryExpansion {
  /** BM25 term-frequency saturation. */
  k1: number;
  /**
   * Bonus for covering a tool's name: this much at full (idf-weighted) coverage. Operation
   * words ("find", "get") count only beside another word of the name: they say what to do,
   * not which tool, so "find me a …" does not half-cover `find_agency`.
   */
  nameCoverageWeight: number;
  /**
   * For prompts with several requests: each request's best normalized score for a tool, times
   * this, is added (in the whole prompt's units) so every request gets its tools near the top.
   */
  clauseWeight: number;
}

/**
 * Chosen on the eval sets in ../shared/eval (ToolE, Seal-Tools) with `cadre eval retrieval` and
 * bench/retrieval-bench.ts; each is a general setting, not a per-set one. Descriptions get
 * little length normalization because long descriptions of broad tools are not less relevant.
 */
export const DEFAULT_LEXICAL_INDEX_OPTIONS: LexicalIndexOptions = {
  weights: { toolkit: 2, action: 2, description: 1, parameters: 0.5 },
  b: { toolkit: 0.3, action: 0.5, description: 0.3, parameters: 0.75 },
  k1: 2,
  prefixMinLength: 4,
  prefixWeight: 0.5,
  relatedWeight: 0.4,
  neighbourWeight: 0.6,
  bigramWeight: 0.3,
  compoundWeight: 0.8,
  typoWeight: 0.5,
  nameCoverageWeight: 1,
  clauseWeight: 0.5,
};

/**
 * BM25F over a tool's toolkit, name, description and parameters: field-weighted,
 * length-normalized term frequencies summed before one saturation, so a term in a tool's name
 * counts more than the same term in its description. Query terms also match morphological
 * variants and near-synonyms at lower weights (plan-query.ts); covering a tool's name and
 * matching a word pair of it add a bonus; multi-request prompts are also scored per request.
 * A query walks only the posting lists of its terms, so cost follows the terms' frequency,
 * not the catalog's size.
 */
export class LexicalIndex {
  private readonly lookup: TermLookup;
  private readonly options: LexicalIndexOptions;
  private readonly documentCount: number;
  // Accumulators reused by every search (search is synchronous), reset after use, and shared
  // with the other indexes of the size class.
  private readonly scores: Float64Array;
  private readonly clauseScores: Float64Array[];
  private readonly operationShares: Float64Array;
  private readonly coversThing: Uint8Array;

  /**
   * Indexes `documents` (ids are their positions), or searches postings built elsewhere (a
   * stored index, or several joined). With `corpus`, documents are scored as members of that
   * larger corpus (its idf and field lengths), so their scores compare with its scores.
   */
  constructor(
    source: IndexedFields[] | PrebuiltPostings,
    options: Partial<LexicalIndexOptions> = {},
    corpus?: CorpusStatistics,
  ) {
    this.options = { ...DEFAULT_LEXICAL_INDEX_OPTIONS, ...options };
    if (Array.isArray(source)) {
      this.documentCount = source.length;
      this.lookup = createMapTermLookup(buildPostings(source, this.options, corpus).postings);
    } else {
      this.documentCount = source.documentCount;
      this.lookup = source.lookup;
    }
    const accumulators = sharedAccumulators(this.documentCount);
    this.scores = accumulators.scores;
    this.clauseScores = accumulators.clauses;
    this.operationShares = accumulators.operationShares;
    this.coversThing = accumulators.coversThing;
  }

  get size(): number {
    return this.documentCount;
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const isAllowed = memoize(options.filter);
    const expansion =
      options.neighbours === false ? { ...this.options, neighbourWeight: 0 } : this.options;
    const plan = planQuery(query, this.lookup, expansion);
    const clauses = this.options.clauseWeight > 0 ? clauseTermSets(query) : [];
    const { scores } = this;
    const touched = this.accumulate(plan, clauses, isAllowed);
    if (clauses.length > 1) this.addClauseScores(clauses.length, touched);
    const best = topK(touched, scores, options.limit ?? touched.length);
    const hits = best.map((doc) => ({
      id: doc,
      score: scores[doc] ?? 0,
      matched: matchedTerms(doc, plan),
    }));
    for (const doc of touched) scores[doc] = 0;
    return hits;
  }

  /**
   * One pass over the plan's posting lists, adding each BM25F contribution to the query's
   * score and to the score of every clause the term comes from. Returns the docs touched.
   */
  private accumulate(
    plan: QueryPlan,
    clauses: ReadonlySet<string>[],
    isAllowed: ((doc: number) => boolean) | undefined,
  ): number[] {
    const { scores, operationShares, coversThing } = this;
    const touched: number[] = [];
    const { k1, nameCoverageWeight } = this.options;
    const perClause = this.clauseAccumulators(clauses.length > 1 ? clauses.length : 0);
    // Rarest terms first, so that once MAX_ACCUMULATORS docs have a score, the common terms
    // left ("get", "data") only add to docs already found instead of touching most of a large
    // catalog (the "continue" strategy of Moffat & Zobel). Small catalogs never reach the cap.
    const ordered = [...plan.terms].sort((left, right) => right.list.idf - left.list.idf);
    for (const { origin, list, offset, weight } of ordered) {
      const admitsNew = touched.length < MAX_ACCUMULATORS;
      const term = plan.origins[origin] ?? '';
      const targets = perClause.filter((_, clause) => clauses[clause]?.has(term) === true);
      const factor = weight * list.idf;
      const isOperation = OPERATION_TERMS.has(term);
      const coverage = weight * nameCoverageWeight;
      for (let index = 0; index < list.docs.length; index++) {
        const doc = (list.docs[index] ?? 0) + offset;
        if (scores[doc] === 0 && !admitsNew) continue;
        if (isAllowed !== undefined && !isAllowed(doc)) continue;
        const tf = list.weights[index] ?? 0;
        const share = coverage * (list.nameShares[index] ?? 0);
        let contribution = (factor * tf) / (k1 + tf);
        if (isOperation) operationShares[doc] = (operationShares[doc] ?? 0) + share;
        else contribution += share;
        if (!isOperation && share > 0) coversThing[doc] = 1;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = (scores[doc] ?? 0) + contribution;
        for (const target of targets) target[doc] = (target[doc] ?? 0) + contribution;
      }
    }
    // An operation word ("find", "book") covers part of a name only beside a word of what the
    // tool acts on: "book a table" covers book_table, "find me a …" does not cover find_agency.
    for (const doc of touched) {
      if (coversThing[doc] === 1) scores[doc] = (scores[doc] ?? 0) + (operationShares[doc] ?? 0);
      operationShares[doc] = 0;
      coversThing[doc] = 0;
    }
    return touched;
  }

  /**
   * Adds, per doc, its best clause score relative to that clause's top, scaled to the whole
   * query's top score. A tool that fully answers one request of three then stays near the top
   * though it matches only a third of the prompt. Resets the clause accumulators.
   */
  private addClauseScores(clauseCount: number, touched: readonly number[]): void {
    const { scores } = this;
    const perClause = this.clauseAccumulators(clauseCount);
    let queryTop = 0;
    const clauseTops = new Float64Array(clauseCount);
    // Plain loops: this runs over every touched doc, up to the whole catalog.
    for (const doc of touched) queryTop = Math.max(queryTop, scores[doc] ?? 0);
    for (let index = 0; index < clauseCount; index++) {
      const clause = perClause[index] ?? new Float64Array(0);
      let top = 0;
      for (const doc of touched) top = Math.max(top, clause[doc] ?? 0);
      clauseTops[index] = top > 0 ? 1 / top : 0;
    }
    const weight = this.options.clauseWeight * queryTop;
    for (const doc of touched) {
      let best = 0;
      for (let index = 0; index < clauseCount; index++) {
        const clause = perClause[index] ?? new Float64Array(0);
        best = Math.max(best, (clause[doc] ?? 0) * (clauseTops[index] ?? 0));
        clause[doc] = 0;
      }
      scores[doc] = (scores[doc] ?? 0) + weight * best;
    }
  }

  /** The first `count` per-clause accumulators, allocated on first use. */
  private clauseAccumulators(count: number): Float64Array[] {
    while (this.clauseScores.length < count) {
      this.clauseScores.push(new Float64Array(this.scores.length));
    }
    return this.clauseScores.slice(0, count);
  }
}

interface Accumulators {
  scores: Float64Array;
  clauses: Float64Array[];
  /** Name coverage by operation words, added only where a non-operation word covers some. */
  operationShares: Float64Array;
  coversThing: Uint8Array;
}

const ACCUMULATORS = new Map<number, Accumulators>();

/**
 * Score accumulators shared by every index of a size class (the next power of two): a search
 * is synchronous and leaves them zeroed, so the many per-project views of the directory need
 * one set, not one each.
 */
function sharedAccumulators(documentCount: number): Accumulators {
  const size = 2 ** Math.ceil(Math.log2(Math.max(documentCount, 1)));
  let accumulators = ACCUMULATORS.get(size);
  if (accumulators === undefined) {
    accumulators = {
      scores: new Float64Array(size),
      clauses: [],
      operationShares: new Float64Array(size),
      coversThing: new Uint8Array(size),
    };
    ACCUMULATORS.set(size, accumulators);
  }
  return accumulators;
}

/** Docs given a score before common query terms stop adding new ones (see accumulate). */
const MAX_ACCUMULATORS = 20_000;

/** The terms of each request in a multi-request prompt (one set for a single request). */
function clauseTermSets(query: string): ReadonlySet<string>[] {
  return splitClauses(stripRequestFraming(query)).map((clause) => new Set(tokenize(clause)));
}

function matchedTerms(doc: number, plan: QueryPlan): string[] {
  const found = new Set<number>();
  for (const { origin, list, offset } of plan.terms) {
    if (!found.has(origin) && includes(list.docs, doc - offset)) found.add(origin);
  }
  return [...new Set(plan.words.filter((_, origin) => found.has(origin)))];
}

/** Calls the caller's filter at most once per doc and search. */
function memoize(
  filter: ((id: number) => boolean) | undefined,
): ((doc: number) => boolean) | undefined {
  if (filter === undefined) return undefined;
  const seen = new Map<number, boolean>();
  return (doc) => {
    let allowed = seen.get(doc);
    if (allowed === undefined) {
      allowed = filter(doc);
      seen.set(doc, allowed);
    }
    return allowed;
  };
}

function includes(sorted: Int32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const current = sorted[middle] ?? 0;
    if (current === value) return true;
    if (current < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
