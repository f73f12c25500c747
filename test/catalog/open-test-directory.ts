import { inject } from 'vitest';
import { DirectoryProvider } from '../../src/directory/index.js';
import {
  DomainSelector,
  ToolCatalog,
  builtinToolkits,
  type RegisteredToolkitSource,
  type Toolkit,
} from '../../src/tools/index.js';

/** The full public directory built by the global setup, opened for one test file. */
export function openTestDirectory(): DirectoryProvider {
  const provider = new DirectoryProvider({
    catalogDir: inject('directoryCatalogDir'),
    enabled: true,
    reservedNames: new Set(builtinToolkits.map((toolkit) => toolkit.name)),
  });
  if (!provider.openIfBuilt()) throw new Error(`No directory index in ${provider.file}`);
  return provider;
}

/** Registered toolkits held in memory, per project, that a test can add to. */
export function memoryToolkitSource(): RegisteredToolkitSource & {
  add(projectId: string, toolkit: Toolkit): void;
} {
  const byProject = new Map<string, Toolkit[]>();
  let version = 0;
  return {
    add(projectId, toolkit) {
      byProject.set(projectId, [...(byProject.get(projectId) ?? []), toolkit]);
      version++;
    },
    version: () => Promise.resolve(String(version)),
    list: (scope) => Promise.resolve(byProject.get(scope.projectId) ?? []),
  };
}

export function createTestSelector(provider: DirectoryProvider, toolCap = 64) {
  const registered = memoryToolkitSource();
  const catalog = new ToolCatalog(registered, provider);
  return { registered, catalog, selector: new DomainSelector(catalog, toolCap) };
}
