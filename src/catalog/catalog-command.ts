import { parseArgs } from 'node:util';
import type { Config } from '../config/index.js';
import {
  DirectoryIndexError,
  DirectoryProvider,
  formatBuildProgress,
  type DirectoryBuildProgress,
} from '../directory/index.js';
import {
  CatalogSearch,
  ToolCatalog,
  builtinToolkits,
  NO_REGISTERED_TOOLKITS,
  type FoundTool,
} from '../tools/index.js';
import { catalogStatus } from './catalog-status.js';

export interface CatalogCommandOutput {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

const USAGE = `Usage:
  cadre catalog build [--force]                       build the public directory's index
  cadre catalog status                                show whether the index is built
  cadre catalog search "QUERY" [--toolkit T] [--limit N] [--json]
                                                      rank tools (directory and built-ins)
  cadre catalog toolkits "QUERY" [--limit N] [--json] rank toolkits
`;

const CLI_SCOPE = { projectId: 'cli', environment: 'live' } as const;

/**
 * `cadre catalog …`: builds the public directory's index (with a progress line), shows its
 * state, and searches it. A search builds the index first when it is missing.
 */
export async function runCatalogCommand(
  config: Config,
  args: string[],
  output: CatalogCommandOutput = process,
): Promise<number> {
  const [action, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        force: { type: 'boolean', default: false },
        toolkit: { type: 'string' },
        limit: { type: 'string', default: '10' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    output.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 1;
  }
  const { values, positionals } = parsed;
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    output.stderr.write('--limit must be a whole number from 1 to 100.\n');
    return 1;
  }
  const provider = new DirectoryProvider({
    catalogDir: config.catalog.dir,
    enabled: config.catalog.directory,
    reservedNames: new Set([...builtinToolkits.map((toolkit) => toolkit.name), 'model', 'cadre']),
  });
  try {
    switch (action) {
      case 'build': {
        if (positionals.length > 0) break;
        const stats = buildWithProgress(provider, output, values.force);
        if (stats === undefined) return 1;
        output.stdout.write(
          `${provider.file}\n${stats.toolkits} toolkits, ${stats.tools} tools from ${stats.specs} specs (${stats.skippedSpecs.length} specs and ${stats.skippedOperations} operations could not be used)\n`,
        );
        return 0;
      }
      case 'status': {
        if (positionals.length > 0) break;
        provider.openIfBuilt();
        output.stdout.write(`${JSON.stringify(catalogStatus(provider), null, 2)}\n`);
        return 0;
      }
      case 'search':
      case 'toolkits': {
        const query = positionals.join(' ').trim();
        if (query === '' && (action === 'toolkits' || values.toolkit === undefined)) break;
        if (config.catalog.directory && !provider.openIfBuilt()) {
          if (buildWithProgress(provider, output, false) === undefined) return 1;
        }
        const search = new CatalogSearch(new ToolCatalog(NO_REGISTERED_TOOLKITS, provider));
        if (action === 'toolkits') {
          const found = await search.searchToolkits(CLI_SCOPE, query, limit);
          output.stdout.write(
            values.json
              ? `${JSON.stringify(
                  found.map(({ toolkit, score, matched }) => ({
                    name: toolkit.name,
                    title: toolkit.title,
                    tools: toolkit.toolCount,
                    score,
                    matched,
                  })),
                  null,
                  2,
                )}\n`
              : formatToolkits(
                  found.map(({ toolkit, score }) => ({
                    name: toolkit.name,
                    title: toolkit.title,
                    tools: toolkit.toolCount,
                    score,
                  })),
                ),
          );
          return 0;
        }
        const { tools } = await search.searchTools(CLI_SCOPE, query === '' ? undefined : query, {
          limit,
          ...(values.toolkit === undefined ? {} : { toolkit: values.toolkit }),
        });
        output.stdout.write(
          values.json ? `${JSON.stringify(tools, null, 2)}\n` : formatTools(tools),
        );
        return 0;
      }
      default:
        break;
    }
    output.stderr.write(USAGE);
    return 1;
  } finally {
    await provider.close();
  }
}

/**
 * Builds (or opens) the directory index with a progress line on stderr; prints the problem and
 * returns undefined when it cannot.
 */
export function buildWithProgress(
  provider: DirectoryProvider,
  output: CatalogCommandOutput,
  force: boolean,
): ReturnType<DirectoryProvider['build']> | undefined {
  const progress = createProgressDisplay(output.stderr);
  try {
    const stats = provider.build({ force, onProgress: progress.update });
    progress.done();
    return stats;
  } catch (error) {
    progress.done();
    if (!(error instanceof DirectoryIndexError)) throw error;
    output.stderr.write(`${error.message}\n`);
    return undefined;
  }
}

/**
 * A progress line on stderr: redrawn in place on a terminal, one line per tenth otherwise
 * (logs, CI), so stdout keeps only the results.
 */
function createProgressDisplay(stream: CatalogCommandOutput['stderr']) {
  let lastTenth = -1;
  let drawn = false;
  return {
    update: (progress: DirectoryBuildProgress) => {
      const line = formatBuildProgress(progress);
      if (stream.isTTY === true) {
        stream.write(`\r\u001b[2K${line}`);
        drawn = true;
        return;
      }
      const tenth = Math.floor((10 * progress.done) / Math.max(progress.total, 1));
      if (progress.phase !== 'reading' || tenth > lastTenth) {
        lastTenth = progress.phase === 'reading' ? tenth : lastTenth;
        stream.write(`${line}\n`);
      }
    },
    done: () => {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

function formatTools(tools: FoundTool[]): string {
  if (tools.length === 0) return 'No tools match.\n';
  const nameWidth = Math.min(64, Math.max(...tools.map((tool) => tool.name.length)));
  return `${tools
    .map((tool, index) => {
      const route = tool.method === null ? '' : `${tool.method} ${tool.path ?? ''}`;
      const head = `${String(index + 1).padStart(2)}  ${tool.score.toFixed(2).padStart(6)}  ${tool.name.padEnd(nameWidth)}  ${route}`;
      const matched = tool.matched.length === 0 ? '' : `  [${tool.matched.join(', ')}]`;
      return `${head}\n${' '.repeat(12)}${tool.description.replace(/\s+/g, ' ').slice(0, 100)}${matched}`;
    })
    .join('\n')}\n`;
}

function formatToolkits(
  toolkits: { name: string; title: string; tools: number; score: number }[],
): string {
  if (toolkits.length === 0) return 'No toolkits match.\n';
  const width = Math.max(...toolkits.map((toolkit) => toolkit.name.length));
  return `${toolkits
    .map(
      (toolkit, index) =>
        `${String(index + 1).padStart(2)}  ${toolkit.score.toFixed(2).padStart(6)}  ${toolkit.name.padEnd(width)}  ${String(toolkit.tools).padStart(5)} tools  ${toolkit.title}`,
    )
    .join('\n')}\n`;
}
