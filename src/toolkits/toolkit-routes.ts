import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import { z } from 'zod';
import { AppError } from '../errors/index.js';
import {
  DeletedToolkitSchema,
  ListToolkitsQuerySchema,
  RegisterToolkitBodySchema,
  ToolkitParamsSchema,
  ToolkitSchema,
} from './toolkit-schemas.js';
import type { ToolkitRecord, ToolkitService } from './toolkit-service.js';
import type { ToolkitScope } from './toolkit-store.js';
import { toToolkitObject } from './toolkit-view.js';

const tags = ['Toolkits'];

/** The catalog's toolkits beyond the registered and built-in ones (the public directory). */
export interface ToolkitDirectory {
  /** Toolkits ranked for a query, whatever their source, with their tool counts. */
  search(
    scope: ToolkitScope,
    query: string,
    limit: number,
  ): Promise<{ record: ToolkitRecord; toolCount: number }[]>;
  /** A directory toolkit by id (`tk_directory_…`) or name, with all its tools. */
  find(idOrName: string): ToolkitRecord | undefined;
}

const SearchToolkitsQuerySchema = ListToolkitsQuerySchema.extend({
  q: z.string().trim().min(1).max(1000).optional().meta({
    description:
      'Rank toolkits of the whole catalog (public directory included) for these words; services it names come first.',
    example: 'CRM contacts',
  }),
});

export function registerToolkitRoutes(
  app: App,
  toolkits: ToolkitService,
  directory?: ToolkitDirectory,
): void {
  app.post(
    '/v1/toolkits',
    {
      schema: {
        tags,
        summary: 'Register a toolkit from an OpenAPI document or a custom tool definition',
        body: RegisterToolkitBodySchema,
        response: {
          201: ToolkitSchema,
          ...commonErrorResponses,
          409: ErrorResponseSchema,
          422: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { record, warnings } = await toolkits.register(requirePrincipal(request), request.body);
      return reply.status(201).send(toToolkitObject(record, 'full', warnings));
    },
  );

  app.get(
    '/v1/toolkits',
    {
      schema: {
        tags,
        summary:
          'List toolkits: the registered ones (newest first), then the built-ins; with `q`, search the whole catalog',
        querystring: SearchToolkitsQuerySchema,
        response: { 200: listOf(ToolkitSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { limit, offset, q } = request.query;
      if (q !== undefined && directory !== undefined) {
        const found = await directory.search(requirePrincipal(request), q, offset + limit + 1);
        const page = toPage(found.slice(offset), limit);
        return {
          data: page.data.map(({ record, toolCount }) => ({
            ...toToolkitObject(record, 'summary'),
            tools_count: toolCount,
          })),
          has_more: page.has_more,
        };
      }
      const records = await toolkits.list(requirePrincipal(request), { limit: limit + 1, offset });
      const page = toPage(records, limit);
      return {
        data: page.data.map((record) => toToolkitObject(record, 'summary')),
        has_more: page.has_more,
      };
    },
  );

  app.get(
    '/v1/toolkits/:toolkit_id',
    {
      schema: {
        tags,
        summary: 'Get a toolkit and its tools, by id or name',
        params: ToolkitParamsSchema,
        response: { 200: ToolkitSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const scope = requirePrincipal(request);
      try {
        return toToolkitObject(await toolkits.get(scope, request.params.toolkit_id), 'full');
      } catch (error) {
        const found =
          error instanceof AppError && error.code === 'toolkit_not_found'
            ? directory?.find(request.params.toolkit_id)
            : undefined;
        if (found === undefined) throw error;
        return toToolkitObject(found, 'full');
      }
    },
  );

  app.delete(
    '/v1/toolkits/:toolkit_id',
    {
      schema: {
        tags,
        summary: 'Delete a registered toolkit, by id or name',
        params: ToolkitParamsSchema,
        response: {
          200: DeletedToolkitSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const { id } = await toolkits.remove(requirePrincipal(request), request.params.toolkit_id);
      return { id, deleted: true as const };
    },
  );
}
