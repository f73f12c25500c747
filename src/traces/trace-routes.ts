import type { App } from '../http/app-types.js';
import { ErrorResponseSchema, commonErrorResponses } from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import type { Database } from '../storage/index.js';
import { TaskParamsSchema, type TaskService } from '../tasks/index.js';

import { buildTrace } from './trace-builder.js';
import { TraceSchema } from './trace-schemas.js';

export function registerTraceRoutes(app: App, tasks: TaskService, database: Database): void {
  app.get(
    '/v1/tasks/:task_id/trace',
    {
      schema: {
        tags: ['Tasks'],
        summary: "Get a task's step-by-step trace",
        params: TaskParamsSchema,
        response: { 200: TraceSchema, ...commonErrorResponses, 404: ErrorResponseSchema },
      },
    },
    async (request) => {
      const task = await tasks.get(requirePrincipal(request), request.params.task_id);
      const rows = await database.db
        .selectFrom('task_steps')
        .selectAll()
        .where('task_id', '=', task.id)
        .orderBy('seq', 'asc')
        .execute();
      return buildTrace(task, rows);
    },
  );
}
