import type {
  OpenApiAuthScheme,
  ToolkitDirectory,
  ToolkitRecord,
  ToolkitService,
} from '../toolkits/index.js';
import type { CatalogSearch, DirectorySource, ToolDefinition } from '../tools/index.js';

/** How a directory toolkit's id starts: `tk_directory_<name>`. */
export const DIRECTORY_ID_PREFIX = 'tk_directory_';

/**
 * The toolkit routes' view of the catalog: `GET /v1/toolkits?q=` ranks every toolkit (public
 * directory included), and `GET /v1/toolkits/:id` shows a directory toolkit with all its tools
 * and its security schemes (OAuth2 URLs and scopes).
 */
export function createToolkitDirectory(options: {
  search: CatalogSearch;
  directory: DirectorySource;
  toolkits: ToolkitService;
}): ToolkitDirectory {
  return {
    async search(scope, query, limit) {
      const found = await options.search.searchToolkits(scope, query, limit);
      const results: { record: ToolkitRecord; toolCount: number }[] = [];
      for (const { toolkit } of found) {
        const record =
          toolkit.source === 'directory'
            ? directoryRecord(options.directory, toolkit.name, false)
            : await options.toolkits.get(scope, toolkit.name);
        if (record !== undefined) results.push({ record, toolCount: toolkit.toolCount });
      }
      return results;
    },
    find(idOrName) {
      const name = idOrName.startsWith(DIRECTORY_ID_PREFIX)
        ? idOrName.slice(DIRECTORY_ID_PREFIX.length)
        : idOrName;
      return directoryRecord(options.directory, name, true);
    },
  };
}

function directoryRecord(
  source: DirectorySource,
  name: string,
  withTools: boolean,
): ToolkitRecord | undefined {
  const directory = source.current();
  const index = directory?.findToolkit(name);
  const info = index === undefined ? undefined : directory?.toolkits[index];
  if (directory === undefined || index === undefined || info === undefined) return undefined;
  const tools: ToolDefinition[] = [];
  if (withTools) {
    for (let tool = info.firstTool; tool < info.firstTool + info.toolCount; tool++) {
      tools.push(directory.definition(tool));
    }
  }
  return {
    toolkit: directory.toolkitObject(index, tools),
    version: info.version,
    authSchemes: directory.authSchemes(index) as OpenApiAuthScheme[],
    mcp: null,
    createdAt: null,
    updatedAt: null,
  };
}
