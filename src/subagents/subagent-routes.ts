import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { registerHotGet } from '../http/register-hot-get.js';
import { requirePrincipal } from '../http/require-principal.js';
import { toIsoSeconds } from '../clock/index.js';
import {
  DeletedSubagentSchema,
  DeploySubagentBodySchema,
  ListSubagentsQuerySchema,
  SelectedToolSchema,
  SubagentParamsSchema,
  SubagentSchema,
  UpdateSubagentBodySchema,
} from './subagent-schemas.js';
import type { SubagentService } from './subagent-service.js';
import { toSubagentObject, toSubagentSummary } from './subagent-view.js';

const tags = ['Subagents'];

export function registerSubagentRoutes(app: App, subagents: SubagentService): void {
  app.post(
    '/v1/subagents',
    {
      schema: {
        tags,
        summary: 'Deploy a subagent',
        body: DeploySubagentBodySchema,
        response: {
          201: SubagentSchema,
          ...commonErrorResponses,
          409: ErrorResponseSchema,
          422: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const row = await subagents.deploy(requirePrincipal(request), request.body);
      return reply.status(201).send(toSubagentObject(row));
    },
  );

  // Listed on every dashboard refresh: also answered before Fastify.
  registerHotGet(app, {
    url: '/v1/subagents',
    schema: {
      tags,
      summary: 'List subagents',
      querystring: ListSubagentsQuerySchema,
      response: { 200: listOf(SubagentSchema), ...commonErrorResponses },
    },
    read: async (principal, { query: { limit, offset, type } }) => {
      const rows = await subagents.list(principal, { type, limit: limit + 1, offset });
      const page = toPage(rows, limit);
      return {
        data: page.data.map((row) => toSubagentSummary(row)),
        has_more: page.has_more,
      };
    },
  });

  app.get(
    '/v1/subagents/:subagent_id',
    {
      schema: {
        tags,
        summary: 'Get a subagent',
        params: SubagentParamsSchema,
        response: { 200: SubagentSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) =>
      toSubagentObject(await subagents.get(requirePrincipal(request), request.params.subagent_id)),
  );

  app.get(
    '/v1/subagents/:subagent_id/tools',
    {
      schema: {
        tags,
        summary: "List a subagent's tools with scores and matched prompt words",
        params: SubagentParamsSchema,
        response: {
          200: listOf(SelectedToolSchema),
          ...commonErrorResponses,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const row = await subagents.get(requirePrincipal(request), request.params.subagent_id);
      return { data: subagents.domainTools(row), has_more: false };
    },
  );

  app.patch(
    '/v1/subagents/:subagent_id',
    {
      schema: {
        tags,
        summary: "Update a subagent's prompt",
        params: SubagentParamsSchema,
        body: UpdateSubagentBodySchema,
        response: {
          200: SubagentSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
          422: ErrorResponseSchema,
        },
      },
    },
    async (request) =>
      toSubagentObject(
        await subagents.update(
          requirePrincipal(request),
          request.params.subagent_id,
          request.body.prompt,
        ),
      ),
  );

  app.delete(
    '/v1/subagents/:subagent_id',
    {
      schema: {
        tags,
        summary: 'Delete a subagent',
        params: SubagentParamsSchema,
        response: {
          200: DeletedSubagentSchema,
          ...commonErrorResponses,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const row = await subagents.remove(requirePrincipal(request), request.params.subagent_id);
      return { id: row.name, status: 'deleted' as const, deleted_at: toIsoSeconds(row.deleted_at) };
    },
  );
}
