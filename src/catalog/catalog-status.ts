import type { DirectoryProvider } from '../directory/index.js';
import type { CatalogStatusObject } from './catalog-schemas.js';

/** The public directory's state, as `GET /v1/catalog` and `cadre catalog status` show it. */
export function catalogStatus(provider: DirectoryProvider): CatalogStatusObject {
  const status = provider.status();
  const stats = provider.stats();
  return {
    directory: {
      state: status.state,
      ...(status.message === undefined ? {} : { message: status.message }),
      ...(status.progress === undefined ? {} : { progress: status.progress }),
      version: provider.version ?? null,
      toolkits: stats?.toolkits ?? null,
      tools: stats?.tools ?? null,
      built_at: stats?.builtAt ?? null,
    },
  };
}
