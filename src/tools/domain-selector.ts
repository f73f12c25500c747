import { UTILITY_TOOLKITS } from './builtins/builtin-toolkits.js';
import type { DirectoryStatus } from './catalog-directory.js';
import type { CatalogEntry, CatalogView } from './catalog-view.js';
import type { HybridRanker } from './embedding/hybrid-ranker.js';
import type { SearchHit } from './ranking/index.js';
import { domainWarnings, type WarningKind } from './selection/domain-warnings.js';
import { planDomain, type ChosenService } from './selection/select-domain.js';
import { serviceNamesOf } from './selection/service-names.js';
import type { CatalogScope, ToolCatalog } from './tool-catalog.js';

/** A tool chosen for a subagent or task, with why it was chosen. */
export interface SelectedTool {
  name: string;
  toolkit: string;
  action: string;
  score: number;
  /** Words of the prompt, as written, that matched the tool. */
  matched: string[];
}

export interface DomainSelection {
  tools: SelectedTool[];
  /** What to do to sharpen the prompt, or what the selection had to work around. */
  warnings: string[];
  /** The kind of each warning, in the same order. */
  warningKinds: WarningKind[];
  /** The services chosen, why, and the prompt words behind each. */
  services: ChosenService[];
}

export interface DomainSelectorOptions {
  /** Optional embedding re-ranking of task-time narrowing (CADRE_EMBEDDING_MODEL). */
  hybrid?: HybridRanker;
}

export interface SelectDomainOptions {
  /** Choose only among these toolkits (prebuilt subagents are pinned to built-ins). */
  toolkits?: readonly string[];
}

/** A domain of one catalog view: its documents, and its tools once a task resolved them. */
interface CachedDomain {
  view: CatalogView;
  docs: Int32Array;
  resolved?: ReadonlyMap<string, CatalogEntry>;
}

/** Ranked domains of recent tasks' subagents, so each task does not rebuild its index. */
const MAX_CACHED_DOMAINS = 500;
/** Lexical candidates the hybrid ranking re-orders, at least. */
const HYBRID_CANDIDATES = 24;

/**
 * Picks a subagent's domain from its prompt and narrows it per task, with one ranking (BM25F,
 * tools/ranking) over the whole catalog. Deterministic: the same prompt over the same catalog
 * gives the same tools, scores and warnings.
 */
export class DomainSelector {
  private readonly domains = new Map<string, CachedDomain>();

  constructor(
    private readonly catalog: ToolCatalog,
    private readonly toolCap: number,
    private readonly options: DomainSelectorOptions = {},
  ) {}

  async selectDomain(
    scope: CatalogScope,
    prompt: string,
    options: SelectDomainOptions = {},
  ): Promise<DomainSelection> {
    const view = await this.catalog.view(scope);
    const plan = planDomain(view, serviceNamesOf(view), prompt, {
      cap: this.toolCap,
      ...(options.toolkits === undefined ? {} : { toolkits: options.toolkits }),
    });
    const domain = plan.tools.map((tool) => toSelected(view, tool.doc, tool.score, tool.matched));
    const utilities: SelectedTool[] = [];
    for (const toolkit of view.toolkits) {
      if (!UTILITY_TOOLKITS.has(toolkit.name) || !view.isVisible(toolkit)) continue;
      for (let doc = toolkit.firstDoc; doc < toolkit.firstDoc + toolkit.toolCount; doc++) {
        utilities.push(toSelected(view, doc, 0, []));
      }
    }
    const warnings = domainWarnings(plan, prompt, this.catalog.directoryStatus());
    return {
      tools: [...domain, ...utilities.filter((tool) => !domain.some((d) => d.name === tool.name))],
      warnings: warnings.map((warning) => warning.message),
      warningKinds: warnings.map((warning) => warning.kind),
      services: plan.services,
    };
  }

  /**
   * The allowed tools ordered by relevance to a task prompt, scored exactly as in the whole
   * catalog; allowed tools that match nothing follow in their given order. Names no longer
   * in the catalog are left out.
   */
  async rankForTask(
    scope: CatalogScope,
    allowed: readonly string[],
    taskPrompt: string,
    limit: number,
  ): Promise<SelectedTool[]> {
    const view = await this.catalog.view(scope);
    const docs = this.domainDocs(view, allowed);
    const hits: SearchHit[] = view.restrictedIndex(docs).search(taskPrompt);
    let ranked = hits.map((hit) => toSelected(view, docs[hit.id] ?? 0, hit.score, hit.matched));
    const { hybrid } = this.options;
    if (hybrid !== undefined && ranked.length > 1) {
      const head = ranked.slice(0, Math.max(HYBRID_CANDIDATES, 3 * limit));
      const order = await hybrid.order(
        taskPrompt,
        head.map((tool, position) => ({
          key: tool.name,
          text: `${tool.name}: ${view.definition(docs[hits[position]?.id ?? 0] ?? 0).description}`,
        })),
      );
      ranked = [
        ...order.map((position) => head[position] as SelectedTool),
        ...ranked.slice(head.length),
      ];
    }
    const seen = new Set(ranked.map((tool) => tool.name));
    const byName = new Map<string, number>();
    for (const doc of docs) byName.set(view.toolName(doc), doc);
    for (const name of allowed) {
      const doc = byName.get(name);
      if (doc !== undefined && !seen.has(name)) {
        seen.add(name);
        ranked.push(toSelected(view, doc, 0, []));
      }
    }
    return ranked.slice(0, limit);
  }

  /** Tools by model-facing name, ready to run; names not in the catalog are left out. */
  /**
   * A domain's tools by name, ready to run. Shared by the tasks of a subagent (cached per view
   * and domain, like its documents): thousands of tasks in flight hold one map, not one each.
   */
  async resolve(
    scope: CatalogScope,
    names: readonly string[],
  ): Promise<ReadonlyMap<string, CatalogEntry>> {
    const view = await this.catalog.view(scope);
    const domain = this.domainOf(view, names);
    domain.resolved ??= new Map(
      view.entries(Array.from(domain.docs)).map((entry) => [entry.name, entry]),
    );
    return domain.resolved;
  }

  directoryStatus(): DirectoryStatus {
    return this.catalog.directoryStatus();
  }

  /** The catalog documents of a domain, ascending (cached per view and domain). */
  private domainDocs(view: CatalogView, allowed: readonly string[]): Int32Array {
    return this.domainOf(view, allowed).docs;
  }

  private domainOf(view: CatalogView, allowed: readonly string[]): CachedDomain {
    const key = allowed.join('\n');
    const cached = this.domains.get(key);
    if (cached?.view === view) return cached;
    const docs: number[] = [];
    for (const name of new Set(allowed)) {
      const doc = view.findDoc(name);
      if (doc !== undefined) docs.push(doc);
    }
    const domain: CachedDomain = { view, docs: Int32Array.from(docs).sort() };
    if (this.domains.size >= MAX_CACHED_DOMAINS) {
      const oldest = this.domains.keys().next().value;
      if (oldest !== undefined) this.domains.delete(oldest);
    }
    this.domains.set(key, domain);
    return domain;
  }
}

function toSelected(
  view: CatalogView,
  doc: number,
  score: number,
  matched: string[],
): SelectedTool {
  const toolkit = view.toolkitOf(doc).name;
  const action = view.action(doc);
  return {
    name: `${toolkit}__${action}`,
    toolkit,
    action,
    score: Math.round(score * 1000) / 1000,
    matched,
  };
}

/** At most this many tools are offered to the model at once (plus `search_tools`). */
export const ACTIVE_TOOL_LIMIT = 16;
