import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import type { CapabilityClause } from './capability-clauses.js';
import {
  coverCapabilities,
  matchClauses,
  toolkitPool,
  type ClauseMatches,
} from './cover-capabilities.js';
import { familyRepresentatives } from './service-families.js';
import type { NamedService } from './service-names.js';

export interface NamedChoice {
  /** The named services chosen (toolkits), in order of choice. */
  chosen: CatalogToolkit[];
  /** Toolkit ref → the clauses (indexes) it was chosen to answer. */
  assigned: Map<number, number[]>;
  /** Every toolkit the names could mean (family representatives of named vendors). */
  pool: CatalogToolkit[];
  /** Each clause over the pool, and over the related services outside it. */
  poolMatches: ClauseMatches[];
  relatedMatches: ClauseMatches[];
}

/** Named vendors may contribute several services (a vendor's specs are often split by area). */
const MAX_NAMED_SERVICES = 6;
/**
 * A named service answers a capability fully when its best tool reaches this share of the best
 * related service's (a weak best of the named services, "Bookkeeping in Xero", is no answer).
 */
const RELATED_SHARE = 1;
/** A further service must answer at least this much more (in clauses) to join. */
const MIN_GAIN = 0.5;

/**
 * Which of the named services' toolkits make the domain: the fewest that answer the prompt's
 * capabilities (greedy cover, scores measured against half the best any related service
 * reaches, so a weak best of the pool does not count as a full answer); every named service a
 * capability mentions ("post an alert to a Slack channel"); every toolkit named on its own
 * ("Google Calendar"); and, for a vendor named without capabilities, its most related service.
 */
export function chooseNamedServices(
  view: CatalogView,
  named: readonly NamedService[],
  clauses: readonly CapabilityClause[],
  related: readonly CatalogToolkit[],
  relevance: ReadonlyMap<number, number>,
): NamedChoice {
  const pool = uniqueToolkits(
    named.flatMap((service) =>
      service.level === 'vendor' ? familyRepresentatives(service.toolkits) : service.toolkits,
    ),
  );
  const inPool = new Set(pool);
  const outside = related.filter((toolkit) => !inPool.has(toolkit));
  const poolMatches = matchClauses(view, toolkitPool(view, pool), clauses);
  const relatedMatches = matchClauses(view, toolkitPool(view, outside), clauses);
  const servicesOf = (index: number) =>
    named.filter((service) => clauses[index]?.services.includes(service.label) === true);
  const cover = coverCapabilities(view, poolMatches, {
    maxServices: MAX_NAMED_SERVICES,
    minGain: MIN_GAIN,
    reference: poolMatches.map((match, index) =>
      Math.max(match.best, RELATED_SHARE * (relatedMatches[index]?.best ?? 0)),
    ),
    relevance,
    // A clause that mentions named services is theirs to answer.
    eligible: (toolkit, index) => {
      const bound = servicesOf(index);
      return bound.length === 0 || bound.some((service) => service.toolkits.includes(toolkit));
    },
  });
  const chosen = [...cover.chosen];
  const assigned = new Map<number, number[]>(
    cover.chosen.map((toolkit, position) => [toolkit.ref, cover.clausesOf[position] ?? []]),
  );
  const add = (toolkit: CatalogToolkit | undefined, clause?: number) => {
    if (toolkit === undefined) return;
    if (!chosen.includes(toolkit)) chosen.push(toolkit);
    if (clause !== undefined)
      assigned.set(toolkit.ref, [...(assigned.get(toolkit.ref) ?? []), clause]);
  };
  clauses.forEach((clause, index) => {
    for (const service of servicesOf(index)) {
      if (service.toolkits.some((toolkit) => chosen.includes(toolkit))) continue;
      add(bestFor(view, clause, familyRepresentatives(service.toolkits)), index);
    }
  });
  for (const service of named) if (service.level === 'toolkit') add(service.toolkits[0]);
  if (clauses.length === 0) for (const toolkit of mostRelated(pool, relevance)) add(toolkit);
  return { chosen, assigned, pool, poolMatches, relatedMatches };
}

/** The toolkit (of a few) whose tools answer a clause best, if any answers it at all. */
function bestFor(
  view: CatalogView,
  clause: CapabilityClause,
  toolkits: CatalogToolkit[],
): CatalogToolkit | undefined {
  const [match] = matchClauses(view, toolkitPool(view, toolkits), [clause]);
  let best: CatalogToolkit | undefined;
  let bestScore = 0;
  for (const toolkit of toolkits) {
    const score = match?.byToolkit.get(toolkit.ref) ?? 0;
    if (score > bestScore) {
      best = toolkit;
      bestScore = score;
    }
  }
  return best;
}

/** A vendor's service most related to the prompt (all of them when it has only a few). */
function mostRelated(pool: CatalogToolkit[], relevance: ReadonlyMap<number, number>) {
  if (pool.length <= 3) return pool;
  return [...pool]
    .sort(
      (left, right) =>
        (relevance.get(right.ref) ?? 0) - (relevance.get(left.ref) ?? 0) || left.ref - right.ref,
    )
    .slice(0, 1);
}

function uniqueToolkits(toolkits: CatalogToolkit[]): CatalogToolkit[] {
  const seen = new Set<number>();
  return toolkits.filter((toolkit) => !seen.has(toolkit.ref) && seen.add(toolkit.ref));
}
