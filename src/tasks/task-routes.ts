import { toIsoSeconds } from '../clock/index.js';
import type { App } from '../http/app-types.js';
import {
  ErrorResponseSchema,
  commonErrorResponses,
  listOf,
  toPage,
} from '../http/common-schemas.js';
import { registerHotGet } from '../http/register-hot-get.js';
import { requirePrincipal } from '../http/require-principal.js';
import {
  CancelledTaskSchema,
  CreateTaskBodySchema,
  ListTasksQuerySchema,
  TaskParamsSchema,
  TaskSchema,
} from './task-schemas.js';
import type { TaskService } from './task-service.js';
import { toTaskObject, toTaskSummary } from './task-view.js';

const tags = ['Tasks'];

export function registerTaskRoutes(app: App, tasks: TaskService): void {
  app.post(
    '/v1/tasks',
    {
      schema: {
        tags,
        summary: 'Create a task',
        body: CreateTaskBodySchema,
        response: {
          201: TaskSchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
          422: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const row = await tasks.create(requirePrincipal(request), request.body);
      return reply.status(201).send(toTaskObject(row));
    },
  );

  app.get(
    '/v1/tasks',
    {
      schema: {
        tags,
        summary: 'List tasks',
        querystring: ListTasksQuerySchema,
        response: { 200: listOf(TaskSchema), ...commonErrorResponses },
      },
    },
    async (request) => {
      const { limit, offset, status, sub_agent, user_id } = request.query;
      const rows = await tasks.list(
        requirePrincipal(request),
        { status, subAgent: sub_agent, userId: user_id },
        limit + 1,
        offset,
      );
      const page = toPage(rows, limit);
      return { data: page.data.map(toTaskSummary), has_more: page.has_more };
    },
  );

  // The polling read: also answered before Fastify.
  registerHotGet(app, {
    url: '/v1/tasks/:task_id',
    schema: {
      tags,
      summary: 'Get a task',
      params: TaskParamsSchema,
      response: { 200: TaskSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
    },
    read: async (principal, { params }) =>
      toTaskObject(await tasks.getObjectRow(principal, params.task_id)),
  });

  app.post(
    '/v1/tasks/:task_id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a task',
        params: TaskParamsSchema,
        response: {
          200: CancelledTaskSchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const row = await tasks.cancel(requirePrincipal(request), request.params.task_id);
      return {
        id: row.id,
        status: 'cancelled' as const,
        cancelled_at: toIsoSeconds(row.cancelled_at ?? row.updated_at),
      };
    },
  );
}
