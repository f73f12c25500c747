import type { CatalogToolkit, CatalogView } from '../catalog-view.js';

/** Services considered related to a prompt as a whole (by the toolkit-level ranking). */
const RELATED_SERVICES = 60;

/** The services most related to a text (toolkit-level ranking), best = 1. */
export function toolkitRelevance(
  view: CatalogView,
  text: string,
  isService: (toolkit: CatalogToolkit) => boolean,
): Map<number, number> {
  const hits = view.toolkitIndex
    .search(text, { limit: RELATED_SERVICES * 2, neighbours: false })
    .filter((hit) => {
      const toolkit = view.toolkits[hit.id];
      return toolkit !== undefined && isService(toolkit);
    })
    .slice(0, RELATED_SERVICES);
  const best = hits[0]?.score ?? 0;
  return new Map(hits.map((hit) => [hit.id, best > 0 ? hit.score / best : 0]));
}
