import type { Environment } from '../storage/index.js';
import { builtinToolkits } from './builtins/builtin-toolkits.js';
import { toolName, type Toolkit, type ToolDefinition } from './tool-definition.js';

export interface CatalogScope {
  projectId: string;
  environment: Environment;
}

/** Registered toolkits of one scope, and a cheap version stamp that changes when they do. */
export interface RegisteredToolkitSource {
  version(scope: CatalogScope): Promise<string>;
  list(scope: CatalogScope): Promise<Toolkit[]>;
}

export interface CatalogEntry {
  name: string;
  toolkit: Toolkit;
  tool: ToolDefinition;
}

export interface CatalogSnapshot {
  version: string;
  toolkits: Toolkit[];
  entries: CatalogEntry[];
  byName: Map<string, CatalogEntry>;
}

/** Every toolkit a scope can use: the built-ins plus its registered ones. */
export class ToolCatalog {
  private readonly snapshots = new Map<string, CatalogSnapshot>();

  constructor(private readonly registered: RegisteredToolkitSource) {}

  async snapshot(scope: CatalogScope): Promise<CatalogSnapshot> {
    const key = `${scope.projectId}:${scope.environment}`;
    const version = await this.registered.version(scope);
    const cached = this.snapshots.get(key);
    if (cached?.version === version) return cached;
    const toolkits = [...builtinToolkits, ...(await this.registered.list(scope))];
    const entries: CatalogEntry[] = [];
    for (const toolkit of toolkits) {
      for (const tool of toolkit.tools) entries.push({ name: toolName(tool), toolkit, tool });
    }
    const snapshot = {
      version,
      toolkits,
      entries,
      byName: new Map(entries.map((entry) => [entry.name, entry])),
    };
    this.snapshots.set(key, snapshot);
    return snapshot;
  }
}
