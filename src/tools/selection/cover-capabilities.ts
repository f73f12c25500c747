import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import type { LexicalIndex } from '../ranking/index.js';
import { clauseObjects, type CapabilityClause } from './capability-clauses.js';

/** How well each service answers one capability clause. */
export interface ClauseMatches {
  clause: CapabilityClause;
  /** The best tool score over the searched services. */
  best: number;
  /** Toolkit ref → its best tool score for the clause. */
  byToolkit: Map<number, number>;
  /** The best few tools (catalog documents), best first. */
  top: number[];
}

/** A set of services to search: the whole catalog, or some toolkits of it. */
export interface ServicePool {
  index: LexicalIndex;
  /** Maps a hit id of `index` to a catalog document. */
  docOf: (hit: number) => number;
}

/** Hits per clause looked at: enough to see every service that answers it well. */
const CLAUSE_HITS = 400;
/** Tools per clause kept as its best few. */
const TOP_TOOLS = 3;
/**
 * A tool whose name (action or path) does not say what the clause acts on answers it only
 * this much: "pull contacts" is answered by `listContacts`, less by an event operation whose
 * description mentions contacts.
 */
const UNNAMED_SHARE = 0.5;

export function wholeCatalogPool(view: CatalogView): ServicePool {
  return { index: view.index, docOf: (hit) => hit };
}

/** The tools of some toolkits, ranked exactly as in the whole catalog. */
export function toolkitPool(view: CatalogView, toolkits: readonly CatalogToolkit[]): ServicePool {
  const docs: number[] = [];
  for (const toolkit of [...toolkits].sort((left, right) => left.firstDoc - right.firstDoc)) {
    for (let doc = toolkit.firstDoc; doc < toolkit.firstDoc + toolkit.toolCount; doc++)
      docs.push(doc);
  }
  const documents = Int32Array.from(docs);
  return { index: view.restrictedIndex(documents), docOf: (hit) => documents[hit] ?? -1 };
}

/** Each clause searched over the pool, with each service's best score for it. */
export function matchClauses(
  view: CatalogView,
  pool: ServicePool,
  clauses: readonly CapabilityClause[],
  isAllowed: (toolkit: CatalogToolkit) => boolean = () => true,
): ClauseMatches[] {
  return clauses.map((clause) => {
    const objects = clauseObjects(clause);
    const byToolkit = new Map<number, number>();
    const top: number[] = [];
    let best = 0;
    for (const hit of pool.index.search(clause.query, { limit: CLAUSE_HITS, neighbours: false })) {
      const doc = pool.docOf(hit.id);
      const toolkit = view.toolkitOf(doc);
      if (!isAllowed(toolkit)) continue;
      if (top.length < TOP_TOOLS) top.push(doc);
      const current = byToolkit.get(toolkit.ref) ?? 0;
      // Hits come best first: a later one can only win by naming what the clause acts on.
      if (current >= hit.score) continue;
      const score =
        objects.size === 0 || namesAny(view, doc, objects) ? hit.score : hit.score * UNNAMED_SHARE;
      if (score > current) byToolkit.set(toolkit.ref, score);
      best = Math.max(best, score);
    }
    return { clause, best, byToolkit, top };
  });
}

export interface CoverOptions {
  /** Services chosen at most. */
  maxServices: number;
  /** A further service must add at least this much coverage (in clauses). */
  minGain: number;
  /** Clause scores are divided by these (the best per clause of some reference set). */
  reference: readonly number[];
  /** Toolkit ref → relevance of the service as a whole to the prompt, 0 … 1. */
  relevance: ReadonlyMap<number, number>;
  /** Only services for which this holds may be added. */
  admit?: (toolkit: CatalogToolkit) => boolean;
  /** Multiplies a service's coverage gain (default 1): how much it fits the prompt as a whole. */
  weight?: (toolkit: CatalogToolkit) => number;
  /** Whether a service may answer a clause (by index); default: any may. */
  eligible?: (toolkit: CatalogToolkit, clause: number) => boolean;
  /** Services already in the domain: their coverage counts, but they are not chosen again. */
  initial?: readonly CatalogToolkit[];
}

export interface CoverResult {
  chosen: CatalogToolkit[];
  /** Per clause, the best coverage (0 … 1) the chosen services reach. */
  coverage: number[];
  /** Per chosen service (same order), the clauses it covers best. */
  clausesOf: number[][];
}

/** Coverage gains this close count as equal; the tie-breaks decide. */
const TIE = 0.02;

/**
 * Picks the fewest services that answer the clauses (greedy set cover): each round adds the
 * service that raises total coverage the most, where a service covers a clause by its best
 * tool's score over the reference best. Equal gains go to a callable service, then the one
 * more relevant as a whole, then the shorter name (the main spec over its variants), then the
 * first in the catalog, so the choice is deterministic.
 */
export function coverCapabilities(
  view: CatalogView,
  matches: readonly ClauseMatches[],
  options: CoverOptions,
): CoverResult {
  const coverage = matches.map(() => 0);
  const chosen: CatalogToolkit[] = [];
  const clausesOf: number[][] = [];
  const initial = new Set(options.initial ?? []);
  const candidates = new Set<number>();
  for (const match of matches) for (const ref of match.byToolkit.keys()) candidates.add(ref);
  const covers = (ref: number, index: number): number => {
    const match = matches[index];
    const reference = options.reference[index] ?? 0;
    if (match === undefined || reference <= 0) return 0;
    const toolkit = view.toolkits[ref];
    if (toolkit === undefined || options.eligible?.(toolkit, index) === false) return 0;
    return Math.min(1, (match.byToolkit.get(ref) ?? 0) / reference);
  };
  for (const toolkit of initial) {
    matches.forEach((_, index) => {
      coverage[index] = Math.max(coverage[index] ?? 0, covers(toolkit.ref, index));
    });
  }
  while (chosen.length < options.maxServices) {
    let best: { toolkit: CatalogToolkit; gain: number } | undefined;
    for (const ref of candidates) {
      const toolkit = view.toolkits[ref];
      if (toolkit === undefined || chosen.includes(toolkit) || initial.has(toolkit)) continue;
      if (options.admit !== undefined && !options.admit(toolkit)) continue;
      let gain = 0;
      matches.forEach((_, index) => {
        gain += Math.max(0, covers(ref, index) - (coverage[index] ?? 0));
      });
      gain *= options.weight?.(toolkit) ?? 1;
      if (best === undefined || beats(toolkit, gain, best, options.relevance)) {
        best = { toolkit, gain };
      }
    }
    if (best === undefined || best.gain < (chosen.length === 0 ? 1e-9 : options.minGain)) break;
    const { toolkit } = best;
    const covered: number[] = [];
    matches.forEach((_, index) => {
      const value = covers(toolkit.ref, index);
      if (value > (coverage[index] ?? 0)) {
        coverage[index] = value;
        covered.push(index);
      }
    });
    chosen.push(toolkit);
    clausesOf.push(covered);
  }
  return { chosen, coverage, clausesOf };
}

function beats(
  toolkit: CatalogToolkit,
  gain: number,
  current: { toolkit: CatalogToolkit; gain: number },
  relevance: ReadonlyMap<number, number>,
): boolean {
  const scale = Math.max(gain, current.gain, 1e-9);
  if (Math.abs(gain - current.gain) / scale > TIE) return gain > current.gain;
  if (toolkit.callable !== current.toolkit.callable) return toolkit.callable;
  const related = relevance.get(toolkit.ref) ?? 0;
  const currentRelated = relevance.get(current.toolkit.ref) ?? 0;
  if (Math.abs(related - currentRelated) > TIE) return related > currentRelated;
  if (toolkit.name.length !== current.toolkit.name.length) {
    return toolkit.name.length < current.toolkit.name.length;
  }
  return toolkit.ref < current.toolkit.ref;
}

export function namesAny(view: CatalogView, doc: number, terms: ReadonlySet<string>): boolean {
  for (const term of view.nameTerms(doc)) if (terms.has(term)) return true;
  return false;
}
