import { UTILITY_TOOLKITS } from '../builtins/builtin-toolkits.js';
import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import { tokenize } from '../ranking/index.js';
import { clauseObjects, type CapabilityClause } from './capability-clauses.js';
import type { NamedChoice } from './choose-named-services.js';
import { coverCapabilities, matchClauses, namesAny, toolkitPool } from './cover-capabilities.js';
import type { ChosenService } from './chosen-service.js';
import { toolkitRelevance } from './toolkit-relevance.js';

export interface MissingCover {
  services: ChosenService[];
  /** Toolkit ref → the clauses (indexes into all clauses) it answers. */
  assigned: Map<number, number[]>;
  /** The missing clauses that a fallback answers. */
  clauses: CapabilityClause[];
}

const NOTHING: MissingCover = { services: [], assigned: new Map(), clauses: [] };

/** Fallback services for capabilities the named vendors lack. */
const MAX_FALLBACK_SERVICES = 2;
/** A fallback service answers a missing capability when it reaches this share of the best. */
const ANSWER_SHARE = 0.5;
/**
 * A fallback service must fit the rest of the prompt (its other capabilities and its subject,
 * names left out): at least this share of the best toolkit-level match. "Handle CRM tasks …
 * manage pipelines" falls back to a CRM, not to AWS Data Pipeline.
 */
const CONTEXT_RELEVANCE = 0.35;
const MIN_GAIN = 0.5;

/**
 * Capabilities the named services have no operation for, and the related services that answer
 * them best. A capability is missing when none of the named services' best tools for it names
 * what it acts on (no `contacts` in any name for "pull contacts") while a related service's
 * does. Clauses that mention a named service are that service's ("post to a Slack channel")
 * and never missing. Fallbacks are chosen by greedy cover, each service's gain weighted by how
 * well it fits the prompt.
 */
export function coverMissing(
  view: CatalogView,
  prompt: string,
  namingTerms: ReadonlySet<string>,
  clauses: readonly CapabilityClause[],
  choice: NamedChoice,
  relevance: ReadonlyMap<number, number>,
): MissingCover {
  const { poolMatches, relatedMatches } = choice;
  const missing = clauses
    .map((clause, index) => ({ clause, index }))
    .filter(({ clause, index }) => {
      if (clause.services.length > 0) return false;
      const objects = clauseObjects(clause);
      if (objects.size === 0) return false;
      const names = (docs: number[] = []) => docs.some((doc) => namesAny(view, doc, objects));
      return !names(poolMatches[index]?.top) && names(relatedMatches[index]?.top);
    });
  if (missing.length === 0) return NOTHING;

  const missingTerms = new Set(missing.flatMap(({ clause }) => clause.terms));
  const context = tokenize(prompt)
    .filter((term) => !namingTerms.has(term) && !missingTerms.has(term))
    .join(' ');
  const inPool = new Set(choice.pool);
  const contextRelevance = toolkitRelevance(
    view,
    context,
    (toolkit) =>
      view.isVisible(toolkit) && !inPool.has(toolkit) && !UTILITY_TOOLKITS.has(toolkit.name),
  );
  const candidates = [...contextRelevance]
    .filter(([, value]) => value >= CONTEXT_RELEVANCE)
    .map(([ref]) => view.toolkits[ref])
    .filter((toolkit): toolkit is CatalogToolkit => toolkit !== undefined);
  if (candidates.length === 0) return NOTHING;
  const matches = matchClauses(
    view,
    toolkitPool(view, candidates),
    missing.map(({ clause }) => clause),
  );
  const cover = coverCapabilities(view, matches, {
    maxServices: MAX_FALLBACK_SERVICES,
    minGain: MIN_GAIN,
    reference: missing.map(({ index }, position) =>
      Math.max(matches[position]?.best ?? 0, relatedMatches[index]?.best ?? 0),
    ),
    relevance,
    weight: (toolkit) => 0.5 + 0.5 * (relevance.get(toolkit.ref) ?? 0),
  });
  const answered = new Set<number>();
  const services: ChosenService[] = [];
  const assigned = new Map<number, number[]>();
  cover.chosen.forEach((toolkit, position) => {
    const covered = (cover.clausesOf[position] ?? []).filter(
      (index) => (cover.coverage[index] ?? 0) >= ANSWER_SHARE,
    );
    if (covered.length === 0) return;
    for (const index of covered) answered.add(index);
    assigned.set(
      toolkit.ref,
      covered.map((index) => missing[index]?.index ?? -1),
    );
    services.push({
      toolkit: toolkit.name,
      reason: 'fallback',
      words: covered.map((index) => missing[index]?.clause.query ?? ''),
    });
  });
  return {
    services,
    assigned,
    clauses: missing.filter((_, index) => answered.has(index)).map(({ clause }) => clause),
  };
}
