import type { CatalogToolkit } from '../catalog-view.js';

/**
 * One service per family: directory specs of one vendor with the same title are versions or
 * editions of one API (GitHub's REST API for github.com, for GitHub AE and for each Enterprise
 * Server release; Twilio Chat v1, v2, v3). The representative is the one whose tools can be
 * called (an absolute server URL), then the hosted one (no templated `{hostname}` server, as
 * self-hosted editions list), then the shortest name (the main edition, not `-beta`), then the
 * most tools, then catalog order. Other toolkits are kept as they are.
 */
export function familyRepresentatives(toolkits: readonly CatalogToolkit[]): CatalogToolkit[] {
  const families = new Map<string, CatalogToolkit>();
  const result: CatalogToolkit[] = [];
  for (const toolkit of toolkits) {
    if (toolkit.source !== 'directory') {
      result.push(toolkit);
      continue;
    }
    const key = `${toolkit.vendor}\n${toolkit.title.toLowerCase().trim()}`;
    const current = families.get(key);
    if (current === undefined || isBetter(toolkit, current)) families.set(key, toolkit);
  }
  result.push(...families.values());
  return result.sort((left, right) => left.ref - right.ref);
}

function isBetter(toolkit: CatalogToolkit, current: CatalogToolkit): boolean {
  if (toolkit.callable !== current.callable) return toolkit.callable;
  if (toolkit.selfHosted !== current.selfHosted) return !toolkit.selfHosted;
  if (toolkit.name.length !== current.name.length) return toolkit.name.length < current.name.length;
  if (toolkit.toolCount !== current.toolCount) return toolkit.toolCount > current.toolCount;
  return toolkit.ref < current.ref;
}
