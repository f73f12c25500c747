import type { App } from '../http/app-types.js';
import { commonErrorResponses, listOf } from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import type { CatalogSearch } from '../tools/index.js';
import {
  CatalogStatusSchema,
  CatalogToolSchema,
  SearchToolsQuerySchema,
  type CatalogStatusObject,
} from './catalog-schemas.js';

const tags = ['Catalog'];

/** `GET /v1/tools` (search) and `GET /v1/catalog` (the public directory's state). */
export function registerCatalogRoutes(
  app: App,
  search: CatalogSearch,
  status: () => CatalogStatusObject,
): void {
  app.get(
    '/v1/tools',
    {
      schema: {
        tags,
        summary:
          "Search the catalog's tools (public directory, built-ins and this project's toolkits)",
        querystring: SearchToolsQuerySchema,
        response: { 200: listOf(CatalogToolSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { q, toolkit, limit } = request.query;
      const { tools, hasMore } = await search.searchTools(requirePrincipal(request), q, {
        limit,
        ...(toolkit === undefined ? {} : { toolkit }),
      });
      return { data: tools, has_more: hasMore };
    },
  );

  app.get(
    '/v1/catalog',
    {
      schema: {
        tags,
        summary: 'The state of the public API directory in the catalog',
        response: { 200: CatalogStatusSchema, ...commonErrorResponses },
      },
    },
    (request) => {
      requirePrincipal(request);
      return Promise.resolve(status());
    },
  );
}
