import { UTILITY_TOOLKITS } from './builtins/builtin-toolkits.js';
import type { DirectoryStatus } from './catalog-directory.js';
import type { CatalogToolkit, CatalogView } from './catalog-view.js';
import type { HybridRanker } from './embedding/hybrid-ranker.js';
import type { SearchHit } from './ranking/index.js';
import { familyRepresentatives } from './selection/service-families.js';
import { serviceNamesOf } from './selection/service-names.js';
import type { CatalogScope, ToolCatalog } from './tool-catalog.js';

/** A tool found by a search, with what explains its rank. */
export interface FoundTool {
  name: string;
  toolkit: string;
  action: string;
  description: string;
  /** `GET`, `POST`… for HTTP tools, else null. */
  method: string | null;
  path: string | null;
  score: number;
  /** Words of the query, as written, that matched. */
  matched: string[];
}

export interface FoundToolkit {
  toolkit: CatalogToolkit;
  score: number;
  matched: string[];
}

export interface ToolSearchOptions {
  /** Only this toolkit's tools (by name). */
  toolkit?: string;
  limit: number;
}

/** Hits looked at per result asked for, before duplicates across editions are folded. */
const OVERFETCH = 4;
const DESCRIPTION_CHARS = 300;

/**
 * Search over a scope's whole catalog with the ranking used for domain selection: tools by a
 * query (services the query names come first), a toolkit's tools, and toolkits themselves.
 * Identical operations of a vendor's editions of one API (GitHub's REST API for github.com, AE
 * and each Enterprise Server) are shown once, from the main edition.
 */
export class CatalogSearch {
  constructor(
    private readonly catalog: ToolCatalog,
    /** Optional embedding re-ranking of the results (CADRE_EMBEDDING_MODEL). */
    private readonly hybrid?: HybridRanker,
  ) {}

  async searchTools(
    scope: CatalogScope,
    query: string | undefined,
    options: ToolSearchOptions,
  ): Promise<{ tools: FoundTool[]; hasMore: boolean }> {
    const view = await this.catalog.view(scope);
    const wanted = options.limit + 1;
    let found: FoundTool[];
    if (options.toolkit !== undefined) {
      const toolkit = view.findToolkit(options.toolkit);
      if (toolkit === undefined) return { tools: [], hasMore: false };
      const docs = Int32Array.from(
        { length: toolkit.toolCount },
        (_, index) => toolkit.firstDoc + index,
      );
      found =
        query === undefined || query.trim() === ''
          ? [...docs.slice(0, wanted)].map((doc) => this.found(view, doc, 0, []))
          : this.fromHits(view, view.restrictedIndex(docs).search(query, { limit: wanted }), docs);
    } else {
      if (query === undefined || query.trim() === '') return { tools: [], hasMore: false };
      found = this.rankWithNames(view, query, wanted);
    }
    if (this.hybrid !== undefined && query !== undefined && found.length > 1) {
      const order = await this.hybrid.order(
        query,
        found.map((tool) => ({ key: tool.name, text: `${tool.name}: ${tool.description}` })),
      );
      found = order.map((position) => found[position] as FoundTool);
    }
    return { tools: found.slice(0, options.limit), hasMore: found.length > options.limit };
  }

  /** Toolkits for a query: named ones first, then by the toolkit-level ranking. */
  async searchToolkits(scope: CatalogScope, query: string, limit: number): Promise<FoundToolkit[]> {
    const view = await this.catalog.view(scope);
    const results: FoundToolkit[] = [];
    const seen = new Set<number>();
    for (const service of serviceNamesOf(view).detect(query)) {
      for (const toolkit of familyRepresentatives(service.toolkits)) {
        if (seen.has(toolkit.ref)) continue;
        seen.add(toolkit.ref);
        results.push({ toolkit, score: 0, matched: service.words });
      }
    }
    const named = results.length;
    for (const hit of view.toolkitIndex.search(query, { limit: limit * OVERFETCH })) {
      const toolkit = view.toolkits[hit.id];
      if (toolkit === undefined || !view.isVisible(toolkit)) continue;
      if (seen.has(toolkit.ref)) {
        const known = results.find((result) => result.toolkit.ref === toolkit.ref);
        if (known !== undefined && known.score === 0) {
          known.score = round(hit.score);
          known.matched = [...new Set([...known.matched, ...hit.matched])];
        }
        continue;
      }
      seen.add(toolkit.ref);
      results.push({ toolkit, score: round(hit.score), matched: hit.matched });
    }
    const namedFirst = results.slice(0, named).sort((left, right) => right.score - left.score);
    return [...namedFirst, ...results.slice(named)].slice(0, limit);
  }

  directoryStatus(): DirectoryStatus {
    return this.catalog.directoryStatus();
  }

  /** The query's named services' tools first (when it names any), then the whole catalog's. */
  private rankWithNames(view: CatalogView, query: string, wanted: number): FoundTool[] {
    const named = serviceNamesOf(view).detect(query);
    const results: FoundTool[] = [];
    if (named.length > 0) {
      const docs = new Set<number>();
      for (const service of named) {
        for (const toolkit of familyRepresentatives(service.toolkits)) {
          for (let doc = toolkit.firstDoc; doc < toolkit.firstDoc + toolkit.toolCount; doc++)
            docs.add(doc);
        }
      }
      const sorted = Int32Array.from(docs).sort();
      results.push(
        ...this.fromHits(
          view,
          view.restrictedIndex(sorted).search(query, { limit: wanted * OVERFETCH }),
          sorted,
        ),
      );
    }
    if (results.length < wanted) {
      const filter = view.hasHiddenToolkits
        ? (doc: number) => view.isVisible(view.toolkitOf(doc))
        : undefined;
      const hits = view.index.search(query, {
        limit: wanted * OVERFETCH,
        ...(filter === undefined ? {} : { filter }),
      });
      const known = new Set(results.map((tool) => tool.name));
      for (const tool of this.fromHits(view, hits)) if (!known.has(tool.name)) results.push(tool);
    }
    return foldEditions(view, results).slice(0, wanted);
  }

  /** Hits as found tools; `docs` maps the hits of a restricted ranking to catalog documents. */
  private fromHits(view: CatalogView, hits: SearchHit[], docs?: Int32Array): FoundTool[] {
    const found: FoundTool[] = [];
    for (const hit of hits) {
      const doc = docs === undefined ? hit.id : (docs[hit.id] ?? -1);
      if (doc < 0) continue;
      // The data utilities go with every domain; a catalog search is about services.
      if (docs === undefined && UTILITY_TOOLKITS.has(view.toolkitOf(doc).name)) continue;
      found.push(this.found(view, doc, hit.score, hit.matched));
    }
    return found;
  }

  private found(view: CatalogView, doc: number, score: number, matched: string[]): FoundTool {
    const tool = view.definition(doc);
    const http = tool.binding.kind === 'http' ? tool.binding : undefined;
    const description = tool.description.replace(/<[^>]+>/g, '').trim();
    return {
      name: view.toolName(doc),
      toolkit: view.toolkitOf(doc).name,
      action: tool.action,
      description:
        description.length > DESCRIPTION_CHARS
          ? `${description.slice(0, DESCRIPTION_CHARS - 1)}…`
          : description,
      method: http?.method ?? null,
      path: http?.path ?? null,
      score: round(score),
      matched,
    };
  }
}

/**
 * Keeps one of each operation that several editions of one API share (same vendor, title,
 * action and route), preferring the edition `familyRepresentatives` prefers.
 */
function foldEditions(view: CatalogView, tools: FoundTool[]): FoundTool[] {
  const infos = tools.map((tool) => view.findToolkit(tool.toolkit));
  const preferred = new Set(
    familyRepresentatives(infos.filter((info): info is CatalogToolkit => info !== undefined)).map(
      (info) => info.ref,
    ),
  );
  const byKey = new Map<string, number>();
  const kept: (FoundTool | undefined)[] = [];
  tools.forEach((tool, index) => {
    const info = infos[index];
    if (info === undefined || info.source !== 'directory') {
      kept.push(tool);
      return;
    }
    const key = `${info.vendor}\n${info.title.toLowerCase()}\n${tool.action}\n${tool.method} ${tool.path}`;
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, kept.length);
      kept.push(tool);
    } else if (preferred.has(info.ref)) {
      kept[at] = { ...tool, score: Math.max(tool.score, kept[at]?.score ?? 0) };
    }
  });
  return kept.filter((tool): tool is FoundTool => tool !== undefined);
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
