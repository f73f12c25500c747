// The catalog with the public OpenAPI directory: index build time, server start with a built
// index, resident memory, search latency over the whole catalog, deploy-selection latency.
// Run: node --import tsx bench/catalog-bench.ts [--index DIR] [--dist]   (DIR: a built
// CADRE_CATALOG_DIR to reuse instead of building one, which takes about half a minute; --dist:
// start the server from dist/ after `npm run build` instead of from source with tsx).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  DirectoryProvider,
  directoryIndexFileName,
  findDirectoryPackage,
} from '../src/directory/index.js';
import { DOMAIN_SELECTION_SUITE, percentile } from '../src/eval/index.js';
import {
  CatalogSearch,
  DomainSelector,
  NO_REGISTERED_TOOLKITS,
  ToolCatalog,
  builtinToolkits,
} from '../src/tools/index.js';
import { ROOT, freePort, startChildServer } from './support/child-server.js';
import { describeMachine } from './support/machine.js';

const RESERVED = new Set([...builtinToolkits.map((toolkit) => toolkit.name), 'model', 'cadre']);
const SCOPE = { projectId: 'bench', environment: 'live' } as const;
const EVAL_DIR = path.join(ROOT, '../shared/eval');
const QUERY_ROUNDS = 3;
const DEPLOY_ROUNDS = 5;
const PROJECTS = 20;

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Realistic search queries: the suite's prompts and capability phrases, and ToolE's user requests. */
function searchQueries(): string[] {
  const queries = DOMAIN_SELECTION_SUITE.flatMap((labeled) => [
    labeled.prompt,
    ...labeled.prompt
      .split(/[,.:;]| and /)
      .map((part) => part.trim())
      .filter((part) => part.length > 8),
  ]);
  const toole = path.join(EVAL_DIR, 'toole_single.json');
  if (existsSync(toole)) {
    const set = JSON.parse(readFileSync(toole, 'utf8')) as { queries: { query: string }[] };
    queries.push(...set.queries.slice(0, 1000).map((query) => query.query));
  }
  return queries;
}

function buildIndex(catalogDir: string): void {
  const started = performance.now();
  const provider = new DirectoryProvider({ catalogDir, enabled: true, reservedNames: RESERVED });
  const stats = provider.build();
  const seconds = (performance.now() - started) / 1000;
  void provider.close();
  const size =
    (statSync(provider.file).size + statSync(`${provider.file}.postings`).size) / 2 ** 20;
  console.log(
    `build           ${seconds.toFixed(1)} s · ${stats.toolkits} toolkits, ${stats.tools} tools from ${stats.specs} specs · index ${size.toFixed(0)} MiB · build process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
  );
}

async function measureServer(catalogDir: string, compiled: boolean): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cadre-catalog-bench-'));
  // From source by default: dist/ may be older than the code measured (`--dist` after a build).
  const cli = compiled
    ? [path.join(ROOT, 'dist/main/cli.js')]
    : ['--import', 'tsx', path.join(ROOT, 'src/main/cli.ts')];
  const env = {
    CADRE_DATA_DIR: dataDir,
    CADRE_CATALOG_DIR: catalogDir,
    CADRE_LOG_LEVEL: 'silent',
    CADRE_RATE_LIMIT_RPS: '0',
  };
  const createKey = (project: string) =>
    spawnSync(process.execPath, [...cli, 'keys', 'create', '--project', project], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
    })
      .stdout.trim()
      .split('\n')
      .at(-1) ?? '';
  const key = createKey('bench');
  const projectKeys = Array.from({ length: PROJECTS }, (_, index) => createKey(`project-${index}`));
  const port = await freePort();
  const started = performance.now();
  const server = await startChildServer(
    [...cli, 'serve'],
    { ...env, CADRE_PORT: String(port) },
    port,
  );
  const startMs = performance.now() - started;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const status = (await (await fetch(`${server.baseUrl}/v1/catalog`, { headers })).json()) as {
    directory: { state: string };
  };
  const pid = server.child.pid ?? 0;
  const rssStarted = rssMb(pid);
  let index = 0;
  for (const labeled of DOMAIN_SELECTION_SUITE) {
    await fetch(`${server.baseUrl}/v1/subagents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: `bench-${index++}`, prompt: labeled.prompt }),
    });
    await fetch(`${server.baseUrl}/v1/tools?q=${encodeURIComponent(labeled.prompt)}`, { headers });
  }
  const rssWorked = rssMb(pid);
  // Every project has its own view of the catalog; the directory's index is shared.
  for (const projectKey of projectKeys) {
    await fetch(`${server.baseUrl}/v1/subagents`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${projectKey}` },
      body: JSON.stringify({ name: 'crm', prompt: DOMAIN_SELECTION_SUITE[0]?.prompt ?? '' }),
    });
  }
  const rssProjects = rssMb(pid);
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  console.log(
    `server start    ${ms(startMs)} from spawn to /healthz, the built index opened (${compiled ? 'dist' : 'tsx'}; directory ${status.directory.state})`,
  );
  console.log(
    `server RSS      ${rssStarted.toFixed(0)} MiB after start · ${rssWorked.toFixed(0)} MiB after ${DOMAIN_SELECTION_SUITE.length} deploys and searches · ${rssProjects.toFixed(0)} MiB after a deploy in ${PROJECTS} more projects`,
  );
}

async function measureLatency(catalogDir: string): Promise<void> {
  const provider = new DirectoryProvider({ catalogDir, enabled: true, reservedNames: RESERVED });
  const opened = performance.now();
  provider.openIfBuilt();
  const openMs = performance.now() - opened;
  const catalog = new ToolCatalog(NO_REGISTERED_TOOLKITS, provider);
  const search = new CatalogSearch(catalog);
  const selector = new DomainSelector(catalog, 64);
  const view = await catalog.view(SCOPE);
  const queries = searchQueries();

  for (const query of queries.slice(0, 200)) view.index.search(query, { limit: 10 });
  const raw: number[] = [];
  const api: number[] = [];
  for (let round = 0; round < QUERY_ROUNDS; round++) {
    for (const query of queries) {
      let start = performance.now();
      view.index.search(query, { limit: 10 });
      raw.push(performance.now() - start);
      start = performance.now();
      await search.searchTools(SCOPE, query, { limit: 20 });
      api.push(performance.now() - start);
    }
  }
  const prompts = DOMAIN_SELECTION_SUITE.map((labeled) => labeled.prompt);
  for (const prompt of prompts) await selector.selectDomain(SCOPE, prompt);
  const deploys: number[] = [];
  for (let round = 0; round < DEPLOY_ROUNDS; round++) {
    for (const prompt of prompts) {
      const start = performance.now();
      await selector.selectDomain(SCOPE, prompt);
      deploys.push(performance.now() - start);
    }
  }
  await provider.close();
  console.log(`index open      ${ms(openMs)} (toolkits, tool names and postings into memory)`);
  console.log(
    `query           p50 ${ms(percentile(raw, 50))} · p99 ${ms(percentile(raw, 99))} ranking over ${view.documentCount} tools (${raw.length} queries) · with GET /v1/tools' search: p50 ${ms(percentile(api, 50))} · p99 ${ms(percentile(api, 99))}`,
  );
  console.log(
    `deploy          p50 ${ms(percentile(deploys, 50))} · p99 ${ms(percentile(deploys, 99))} domain selection over the whole catalog (${deploys.length} deploys of the ${prompts.length} suite prompts)`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { index: { type: 'string' }, dist: { type: 'boolean', default: false } },
  });
  console.log(`machine: ${describeMachine()}`);
  let catalogDir = values.index;
  let temporary: string | undefined;
  if (catalogDir === undefined) {
    temporary = mkdtempSync(path.join(os.tmpdir(), 'cadre-catalog-index-'));
    catalogDir = temporary;
    buildIndex(catalogDir);
  } else if (
    !existsSync(path.join(catalogDir, directoryIndexFileName(findDirectoryPackage().version)))
  ) {
    console.error(`No built index in ${catalogDir}; run without --index to build one.`);
    process.exitCode = 1;
    return;
  }
  try {
    await measureServer(catalogDir, values.dist);
    await measureLatency(catalogDir);
  } finally {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true });
  }
}

await main();
