import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import {
  DeletedToolkitSchema,
  ListToolkitsQuerySchema,
  RegisterToolkitBodySchema,
  ToolkitParamsSchema,
  ToolkitSchema,
} from './toolkit-schemas.js';
import type { ToolkitService } from './toolkit-service.js';
import { toToolkitObject } from './toolkit-view.js';

const tags = ['Toolkits'];

export function registerToolkitRoutes(app: App, toolkits: ToolkitService): void {
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
        summary: 'List toolkits: the registered ones (newest first), then the built-ins',
        querystring: ListToolkitsQuerySchema,
        response: { 200: listOf(ToolkitSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
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
    async (request) =>
      toToolkitObject(
        await toolkits.get(requirePrincipal(request), request.params.toolkit_id),
        'full',
      ),
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
