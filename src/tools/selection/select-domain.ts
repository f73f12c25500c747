import { UTILITY_TOOLKITS } from '../builtins/builtin-toolkits.js';
import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import { tokenize } from '../ranking/index.js';
import { capabilityClauses, type CapabilityClause } from './capability-clauses.js';
import { chooseNamedServices } from './choose-named-services.js';
import {
  coverCapabilities,
  matchClauses,
  toolkitPool,
  wholeCatalogPool,
} from './cover-capabilities.js';
import { coverMissing } from './cover-missing.js';
import type { ChosenService } from './chosen-service.js';
import { toolkitRelevance } from './toolkit-relevance.js';
import { pickTools, type PickedTool } from './pick-tools.js';
import { familyRepresentatives } from './service-families.js';
import type { NamedService, ServiceNames } from './service-names.js';

export type { ChosenService, ServiceReason } from './chosen-service.js';

export interface DomainPlan {
  tools: PickedTool[];
  services: ChosenService[];
  named: NamedService[];
  clauses: CapabilityClause[];
  /** Capabilities the named services do not offer, answered by `fallback` services. */
  fallbackClauses: CapabilityClause[];
  /** Capitalised words listed with named services that name nothing in the catalog. */
  unknownNames: string[];
}

export interface SelectOptions {
  /** Tools kept at most. */
  cap: number;
  /** Choose only among these toolkits (prebuilt subagents). */
  toolkits?: readonly string[];
}

/** Without vendor names, a prompt's services are chosen among at most this many. */
const MAX_UNNAMED_SERVICES = 3;
/** A further service must answer at least this much more (in clauses) to join. */
const MIN_GAIN = 0.5;

/**
 * Chooses a subagent's services and tools for its prompt. Named services are decisive: their
 * tools are chosen for the capabilities listed, and only a capability they have nothing for
 * goes to the related service that answers it best (a fallback, reported in a warning).
 * Without names, the fewest services that answer the capabilities are chosen, favouring
 * services that fit the prompt as a whole. Deterministic: ties follow catalog order.
 */
export function planDomain(
  view: CatalogView,
  names: ServiceNames,
  prompt: string,
  options: SelectOptions,
): DomainPlan {
  const named = pinnedServices(view, options.toolkits) ?? names.detect(prompt);
  const unknownNames = options.toolkits === undefined ? names.unknownNames(prompt, named) : [];
  const naming = new Map<string, string[]>();
  for (const service of named) {
    for (const term of tokenize(service.words.join(' '))) {
      naming.set(term, [...(naming.get(term) ?? []), service.label]);
    }
  }
  for (const term of tokenize(unknownNames.join(' '))) if (!naming.has(term)) naming.set(term, []);
  const namingTerms = new Set(naming.keys());
  const clauses = capabilityClauses(prompt, naming);
  const isService = (toolkit: CatalogToolkit) =>
    view.isVisible(toolkit) && !UTILITY_TOOLKITS.has(toolkit.name);
  // How well each service fits the prompt's subject, the services' names left out.
  const subject = tokenize(prompt)
    .filter((term) => !namingTerms.has(term))
    .join(' ');
  const relevance = toolkitRelevance(view, subject, isService);

  const services: ChosenService[] = [];
  const assigned = new Map<number, number[]>();
  let fallbackClauses: CapabilityClause[] = [];
  if (named.length > 0) {
    const related = [...relevance.keys()]
      .map((ref) => view.toolkits[ref])
      .filter((toolkit): toolkit is CatalogToolkit => toolkit !== undefined);
    const choice = chooseNamedServices(view, named, clauses, related, relevance);
    for (const [ref, indexes] of choice.assigned) assigned.set(ref, indexes);
    for (const toolkit of choice.chosen) {
      services.push({ toolkit: toolkit.name, reason: 'named', words: namingWords(named, toolkit) });
    }
    // Pinned toolkits (prebuilt subagents) get no fallback from the rest of the catalog.
    if (options.toolkits === undefined) {
      const fallback = coverMissing(view, prompt, namingTerms, clauses, choice, relevance);
      services.push(...fallback.services);
      for (const [ref, indexes] of fallback.assigned) assigned.set(ref, indexes);
      fallbackClauses = fallback.clauses;
    }
  } else if (clauses.length > 0) {
    const candidates = familyRepresentatives(
      candidateServices(view, clauses, relevance, isService),
    );
    // The data utilities join every domain: what they answer needs no other service.
    const utilities = view.toolkits.filter(
      (toolkit) => UTILITY_TOOLKITS.has(toolkit.name) && view.isVisible(toolkit),
    );
    const matches = matchClauses(view, toolkitPool(view, [...candidates, ...utilities]), clauses);
    const cover = coverCapabilities(view, matches, {
      initial: utilities,
      maxServices: MAX_UNNAMED_SERVICES,
      minGain: MIN_GAIN,
      reference: matches.map((match) => match.best),
      relevance,
      weight: (toolkit) => 0.5 + 0.5 * (relevance.get(toolkit.ref) ?? 0),
    });
    cover.chosen.forEach((toolkit, position) => {
      assigned.set(toolkit.ref, cover.clausesOf[position] ?? []);
      services.push({
        toolkit: toolkit.name,
        reason: 'capability',
        words: (cover.clausesOf[position] ?? []).map((index) => clauses[index]?.query ?? ''),
      });
    });
  }

  const chosenToolkits = services
    .map((service) => view.findToolkit(service.toolkit))
    .filter((toolkit): toolkit is CatalogToolkit => toolkit !== undefined)
    .map((toolkit) => ({
      toolkit,
      clauses: assigned.get(toolkit.ref) ?? [],
      // The user's own toolkit, named: its tools were registered for this kind of work.
      complete:
        toolkit.source !== 'directory' &&
        named.some((service) => service.toolkits.includes(toolkit)),
    }));
  const tools = pickTools(view, chosenToolkits, prompt, clauses, options.cap);
  // A service none of whose tools made the cut is not part of the domain.
  const kept = new Set(tools.map((tool) => view.toolkitOf(tool.doc).name));
  return {
    tools,
    services: services.filter((service) => kept.has(service.toolkit)),
    named,
    clauses,
    fallbackClauses,
    unknownNames,
  };
}

/** Services worth scoring exactly for a prompt without names: related ones and those with hits. */
function candidateServices(
  view: CatalogView,
  clauses: readonly CapabilityClause[],
  relevance: ReadonlyMap<number, number>,
  isService: (toolkit: CatalogToolkit) => boolean,
): CatalogToolkit[] {
  const refs = new Set(relevance.keys());
  for (const match of matchClauses(view, wholeCatalogPool(view), clauses, isService)) {
    for (const ref of match.byToolkit.keys()) refs.add(ref);
  }
  return [...refs]
    .map((ref) => view.toolkits[ref])
    .filter((toolkit): toolkit is CatalogToolkit => toolkit !== undefined && isService(toolkit));
}

function pinnedServices(
  view: CatalogView,
  toolkits: readonly string[] | undefined,
): NamedService[] | undefined {
  if (toolkits === undefined) return undefined;
  return toolkits
    .map((name) => view.findToolkit(name))
    .filter((toolkit): toolkit is CatalogToolkit => toolkit !== undefined)
    .map((toolkit) => ({ level: 'toolkit', label: toolkit.name, toolkits: [toolkit], words: [] }));
}

function namingWords(named: NamedService[], toolkit: CatalogToolkit): string[] {
  const words = named
    .filter((service) => service.toolkits.includes(toolkit))
    .flatMap((service) => service.words);
  return [...new Set(words)];
}
