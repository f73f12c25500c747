import type { SubagentService } from '../subagents/index.js';
import { buildSubagentInstructions } from './system-prompt.js';

/** What a running task needs from its subagent, shared by all its tasks. */
export interface SubagentBrief {
  name: string;
  /** Tool names of the subagent's domain. */
  domain: readonly string[];
  domainSet: ReadonlySet<string>;
  /** Standing instructions, with and without the `search_tools` paragraph. */
  instructions(withSearch: boolean): string;
}

const CAPACITY = 1_000;

/**
 * Subagent briefs keyed by row id and version: thousands of tasks of one subagent share one
 * domain list and one instructions string instead of each holding its own copy.
 */
export class SubagentBriefs {
  private readonly cache = new Map<string, SubagentBrief>();

  constructor(
    private readonly subagents: SubagentService,
    private readonly maxSteps: number,
  ) {}

  async load(subagentId: string): Promise<SubagentBrief | undefined> {
    const row = await this.subagents.findById(subagentId);
    if (row === undefined) return undefined;
    const key = `${row.id}:${row.updated_at}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const domain = this.subagents.domainTools(row).map((tool) => tool.name);
    const texts = new Map<boolean, string>();
    const { name, prompt } = row;
    const brief: SubagentBrief = {
      name,
      domain,
      domainSet: new Set(domain),
      instructions: (withSearch) => {
        let text = texts.get(withSearch);
        if (text === undefined) {
          text = buildSubagentInstructions({
            subagentName: name,
            subagentPrompt: prompt,
            maxSteps: this.maxSteps,
            hasSearchTools: withSearch,
          });
          texts.set(withSearch, text);
        }
        return text;
      },
    };
    if (this.cache.size >= CAPACITY) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, brief);
    return brief;
  }
}
