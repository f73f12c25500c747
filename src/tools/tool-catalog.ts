import type { Environment } from '../storage/index.js';
import { builtinToolkits } from './builtins/builtin-toolkits.js';
import { NO_DIRECTORY, type DirectorySource, type DirectoryStatus } from './catalog-directory.js';
import { CatalogView, type CatalogEntry } from './catalog-view.js';
import type { Toolkit } from './tool-definition.js';

export interface CatalogScope {
  projectId: string;
  environment: Environment;
}

/** Registered toolkits of one scope, and a cheap version stamp that changes when they do. */
export interface RegisteredToolkitSource {
  version(scope: CatalogScope): Promise<string>;
  list(scope: CatalogScope): Promise<Toolkit[]>;
}

/** No registered toolkits: a catalog of the directory and the built-ins (CLI, eval). */
export const NO_REGISTERED_TOOLKITS: RegisteredToolkitSource = {
  version: () => Promise.resolve('-'),
  list: () => Promise.resolve([]),
};

/** Scopes whose views are kept; a view holds only the scope's own small index. */
const MAX_CACHED_VIEWS = 1_000;

/**
 * Every tool a scope can use: the public directory (shared by all projects, when built), the
 * built-ins, and the scope's registered toolkits. Views are cached per scope and rebuilt when
 * its registrations change or the directory becomes ready.
 */
export class ToolCatalog {
  private readonly views = new Map<string, CatalogView>();

  constructor(
    private readonly registered: RegisteredToolkitSource,
    private readonly directory: DirectorySource = NO_DIRECTORY,
  ) {}

  async view(scope: CatalogScope): Promise<CatalogView> {
    const key = `${scope.projectId}:${scope.environment}`;
    const directory = this.directory.current();
    const version = `${await this.registered.version(scope)}|${directory?.generation ?? '-'}`;
    const cached = this.views.get(key);
    if (cached?.version === version) return cached;
    const local = [...builtinToolkits, ...(await this.registered.list(scope))];
    const view = new CatalogView(version, local, directory);
    this.views.delete(key);
    if (this.views.size >= MAX_CACHED_VIEWS) {
      const oldest = this.views.keys().next().value;
      if (oldest !== undefined) this.views.delete(oldest);
    }
    this.views.set(key, view);
    return view;
  }

  /**
   * Tools by model-facing name, ready to run (full definitions, read on demand for directory
   * tools). Names not in the catalog are left out of the map.
   */
  async resolve(scope: CatalogScope, names: readonly string[]): Promise<Map<string, CatalogEntry>> {
    const view = await this.view(scope);
    const docs: number[] = [];
    for (const name of new Set(names)) {
      const doc = view.findDoc(name);
      if (doc !== undefined) docs.push(doc);
    }
    return new Map(view.entries(docs).map((entry) => [entry.name, entry]));
  }

  directoryStatus(): DirectoryStatus {
    return this.directory.status();
  }
}
