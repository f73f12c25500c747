import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import type { CapabilityClause } from './capability-clauses.js';
import { toolkitPool, type ServicePool } from './cover-capabilities.js';

/** A tool of the domain with its score for the whole prompt and the words that matched. */
export interface PickedTool {
  doc: number;
  score: number;
  matched: string[];
}

/** A chosen service and the capabilities (clause indexes) it was chosen for. */
export interface ServiceAssignment {
  toolkit: CatalogToolkit;
  clauses: readonly number[];
  /** All its tools belong in the domain while the cap allows (a named registered toolkit). */
  complete?: boolean;
}

/** Per capability and service, its best tools up to this many… */
const PER_CAPABILITY = 5;
/** …that score at least this share of that service's best for the capability. */
const CAPABILITY_SHARE = 0.7;
/**
 * A service also contributes to a capability it was not chosen for when its best tool scores
 * this share of the best one's.
 */
const SERVICE_SHARE = 0.5;
/** Beyond those, tools scoring this share of the best for the whole prompt. */
const PROMPT_SHARE = 0.4;
const CLAUSE_HITS = 200;

/**
 * The tools of the chosen services that fit the prompt, at most `cap`. Each capability first
 * gets the best few tools of each service chosen for it (and of any other that answers it
 * nearly as well), so one big service cannot crowd out another capability; every service gets
 * at least its best tools for the prompt; the rest of the cap goes to the best tools for the
 * prompt as a whole. Returned best first (by whole-prompt score, then catalog order).
 */
export function pickTools(
  view: CatalogView,
  services: readonly ServiceAssignment[],
  prompt: string,
  clauses: readonly CapabilityClause[],
  cap: number,
): PickedTool[] {
  if (services.length === 0 || cap <= 0) return [];
  const pool = toolkitPool(
    view,
    services.map((service) => service.toolkit),
  );
  const whole = new Map<number, PickedTool>();
  for (const hit of pool.index.search(prompt, { neighbours: false })) {
    const doc = pool.docOf(hit.id);
    whole.set(doc, { doc, score: hit.score, matched: hit.matched });
  }
  const ranked = [...whole.values()].sort(byScore);

  const required = clauses.map((clause, index) =>
    capabilityTools(view, pool, clause, index, services),
  );
  // Every service is represented, by its best tools for the prompt if by nothing else.
  for (const service of services) {
    const own = ranked.filter((tool) => view.toolkitOf(tool.doc).ref === service.toolkit.ref);
    required.push(own.slice(0, PER_CAPABILITY).map((tool) => tool.doc));
  }
  const picked = new Set<number>();
  // Round-robin over capabilities, so a cap smaller than all of them is shared fairly.
  for (let rank = 0; picked.size < cap; rank++) {
    let more = false;
    for (const docs of required) {
      const doc = docs[rank];
      if (doc === undefined) continue;
      more = true;
      if (picked.size < cap) picked.add(doc);
    }
    if (!more) break;
  }
  const best = ranked[0]?.score ?? 0;
  for (const tool of ranked) {
    if (picked.size >= cap || tool.score < best * PROMPT_SHARE) break;
    picked.add(tool.doc);
  }
  for (const { toolkit, complete } of services) {
    if (complete !== true) continue;
    for (let doc = toolkit.firstDoc; doc < toolkit.firstDoc + toolkit.toolCount; doc++) {
      if (picked.size >= cap) break;
      picked.add(doc);
    }
  }
  return [...picked].map((doc) => whole.get(doc) ?? { doc, score: 0, matched: [] }).sort(byScore);
}

/** One capability's tools: each answering service's best few, in turn. */
function capabilityTools(
  view: CatalogView,
  pool: ServicePool,
  clause: CapabilityClause,
  index: number,
  services: readonly ServiceAssignment[],
): number[] {
  const hits = pool.index.search(clause.query, { limit: CLAUSE_HITS, neighbours: false });
  const best = hits[0]?.score ?? 0;
  const byToolkit = new Map<number, { top: number; docs: number[] }>();
  const take = (doc: number, score: number) => {
    const ref = view.toolkitOf(doc).ref;
    const entry = byToolkit.get(ref) ?? { top: score, docs: [] };
    byToolkit.set(ref, entry);
    if (entry.docs.length < PER_CAPABILITY && score >= entry.top * CAPABILITY_SHARE) {
      entry.docs.push(doc);
    }
  };
  const assigned = new Set(
    services
      .filter((service) => service.clauses.includes(index))
      .map((service) => service.toolkit.ref),
  );
  for (const hit of hits) {
    const doc = pool.docOf(hit.id);
    if (!assigned.has(view.toolkitOf(doc).ref)) take(doc, hit.score);
  }
  // A service chosen for this capability: its own best, which the others may crowd out of the
  // shared hits.
  for (const service of services) {
    if (!assigned.has(service.toolkit.ref)) continue;
    const own = toolkitPool(view, [service.toolkit]);
    for (const hit of own.index.search(clause.query, {
      limit: PER_CAPABILITY,
      neighbours: false,
    })) {
      take(own.docOf(hit.id), hit.score);
    }
  }
  const lists = services
    .filter((service) => {
      const entry = byToolkit.get(service.toolkit.ref);
      return (
        entry !== undefined &&
        (service.clauses.includes(index) || entry.top >= best * SERVICE_SHARE)
      );
    })
    .map((service) => byToolkit.get(service.toolkit.ref)?.docs ?? []);
  const docs: number[] = [];
  for (let rank = 0; rank < PER_CAPABILITY; rank++) {
    for (const list of lists) {
      const doc = list[rank];
      if (doc !== undefined) docs.push(doc);
    }
  }
  return docs;
}

function byScore(left: PickedTool, right: PickedTool): number {
  return right.score - left.score || left.doc - right.doc;
}
