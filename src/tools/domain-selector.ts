import { UTILITY_TOOLKITS } from './builtins/builtin-toolkits.js';
import { LexicalIndex } from './ranking/lexical-index.js';
import { splitWords, tokenize } from './ranking/tokenize.js';
import type { CatalogScope, CatalogSnapshot, ToolCatalog } from './tool-catalog.js';

/** A tool chosen for a subagent or task, with why it was chosen. */
export interface SelectedTool {
  name: string;
  toolkit: string;
  action: string;
  score: number;
  /** Prompt words that matched the tool. */
  matched: string[];
}

export interface DomainSelection {
  tools: SelectedTool[];
  warnings: string[];
}

interface IndexedSnapshot {
  snapshot: CatalogSnapshot;
  index: LexicalIndex;
}

const MIN_RELATIVE_SCORE = 0.2;

/**
 * Picks a subagent's domain from its prompt, and narrows it per task. Lexical (BM25F) and
 * deterministic: the same prompt over the same catalog gives the same tools and scores.
 */
export class DomainSelector {
  private readonly indexes = new Map<string, IndexedSnapshot>();

  constructor(
    private readonly catalog: ToolCatalog,
    private readonly toolCap: number,
  ) {}

  async selectDomain(scope: CatalogScope, prompt: string): Promise<DomainSelection> {
    const { snapshot, index } = await this.indexed(scope);
    const promptWords = new Set(splitWords(prompt));
    const named = snapshot.toolkits
      .filter((toolkit) => !UTILITY_TOOLKITS.has(toolkit.name))
      .filter((toolkit) => splitWords(toolkit.name).every((word) => promptWords.has(word)))
      .map((toolkit) => toolkit.name);
    const namedSet = new Set(named);

    const hits = index.search(prompt);
    const best = hits[0]?.score ?? 0;
    const chosen = new Map<string, SelectedTool>();
    for (const hit of hits) {
      const entry = snapshot.entries[hit.id];
      if (entry === undefined || UTILITY_TOOLKITS.has(entry.toolkit.name)) continue;
      const isNamed = namedSet.has(entry.toolkit.name);
      if (namedSet.size > 0 && !isNamed) continue;
      if (!isNamed && hit.score < best * MIN_RELATIVE_SCORE) continue;
      chosen.set(entry.name, toSelected(entry.name, entry.tool, hit.score, hit.matched));
    }
    // A named service with few operations contributes all of them.
    for (const entry of snapshot.entries) {
      if (namedSet.has(entry.toolkit.name) && !chosen.has(entry.name)) {
        chosen.set(entry.name, toSelected(entry.name, entry.tool, 0, []));
      }
    }
    const domain = [...chosen.values()].slice(0, this.toolCap);
    const utilities = snapshot.entries
      .filter((entry) => UTILITY_TOOLKITS.has(entry.toolkit.name))
      .map((entry) => toSelected(entry.name, entry.tool, 0, []));
    return {
      tools: [...domain, ...utilities],
      warnings: this.warningsFor(prompt, domain.length, named.length),
    };
  }

  /** The allowed tools ordered by relevance to a task prompt (ties keep domain order). */
  async rankForTask(
    scope: CatalogScope,
    allowed: readonly string[],
    taskPrompt: string,
    limit: number,
  ): Promise<SelectedTool[]> {
    const { snapshot, index } = await this.indexed(scope);
    const allowedIds = new Set<number>();
    snapshot.entries.forEach((entry, id) => {
      if (allowed.includes(entry.name)) allowedIds.add(id);
    });
    const ranked: SelectedTool[] = [];
    const seen = new Set<string>();
    for (const hit of index.search(taskPrompt, { filter: (id) => allowedIds.has(id) })) {
      const entry = snapshot.entries[hit.id];
      if (entry === undefined) continue;
      seen.add(entry.name);
      ranked.push(toSelected(entry.name, entry.tool, hit.score, hit.matched));
    }
    for (const name of allowed) {
      const entry = snapshot.byName.get(name);
      if (entry !== undefined && !seen.has(name)) ranked.push(toSelected(name, entry.tool, 0, []));
    }
    return ranked.slice(0, limit);
  }

  async snapshot(scope: CatalogScope): Promise<CatalogSnapshot> {
    return (await this.indexed(scope)).snapshot;
  }

  private warningsFor(prompt: string, domainSize: number, namedCount: number): string[] {
    const warnings: string[] = [];
    const contentTerms = new Set(tokenize(prompt));
    if (domainSize === 0) {
      warnings.push(
        'No tools in the catalog match this prompt beyond the built-in data utilities. Name the services (e.g. "Stripe", "Slack") and the operations (e.g. "refund payments, post messages"), or register a toolkit with POST /v1/toolkits.',
      );
    } else if (namedCount === 0 && contentTerms.size < 4) {
      warnings.push(
        'The prompt is vague: name the services the subagent works with and list the operations it performs, so its tools stay focused.',
      );
    }
    return warnings;
  }

  private async indexed(scope: CatalogScope): Promise<IndexedSnapshot> {
    const snapshot = await this.catalog.snapshot(scope);
    const key = `${scope.projectId}:${scope.environment}`;
    const cached = this.indexes.get(key);
    if (cached?.snapshot === snapshot) return cached;
    const index = new LexicalIndex(
      snapshot.entries.map((entry) => ({
        toolkit: `${entry.toolkit.name} ${entry.toolkit.description}`,
        action: entry.tool.action,
        description: entry.tool.description,
      })),
    );
    const built = { snapshot, index };
    this.indexes.set(key, built);
    return built;
  }
}

function toSelected(
  name: string,
  tool: { toolkit: string; action: string },
  score: number,
  matched: string[],
): SelectedTool {
  return {
    name,
    toolkit: tool.toolkit,
    action: tool.action,
    score: Math.round(score * 1000) / 1000,
    matched,
  };
}

/** At most this many tools are offered to the model at once (plus `search_tools`). */
export const ACTIVE_TOOL_LIMIT = 16;
