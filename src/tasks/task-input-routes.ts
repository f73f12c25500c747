import { AppError } from '../errors/index.js';
import type { App } from '../http/app-types.js';
import { ErrorResponseSchema, commonErrorResponses } from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import { TaskInputBodySchema, TaskParamsSchema, TaskSchema } from './task-schemas.js';
import type { TaskService } from './task-service.js';
import { toTaskObject } from './task-view.js';

/** Records the answer to a waiting task's question; implemented by the runtime. */
export interface TaskInputs {
  provideInput(taskId: string, answer: unknown): Promise<'resumed' | 'not_waiting_for_input'>;
}

/** `POST /v1/tasks/:task_id/input`: the end user answers the question a task waits on. */
export function registerTaskInputRoute(app: App, tasks: TaskService, inputs: TaskInputs): void {
  app.post(
    '/v1/tasks/:task_id/input',
    {
      schema: {
        tags: ['Tasks'],
        summary: "Answer the question a waiting task asked (waiting_for.type 'input')",
        params: TaskParamsSchema,
        body: TaskInputBodySchema,
        response: {
          200: TaskSchema,
          ...commonErrorResponses,
          404: ErrorResponseSchema,
          409: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const scope = requirePrincipal(request);
      const task = await tasks.get(scope, request.params.task_id);
      const outcome = await inputs.provideInput(task.id, request.body.answer);
      if (outcome === 'not_waiting_for_input') {
        const current = await tasks.get(scope, task.id);
        throw new AppError({
          code: 'task_not_waiting',
          message:
            current.status === 'waiting'
              ? `Task '${task.id}' is waiting for authorization, not for an answer; the user must open waiting_for.auth_url.`
              : `Task '${task.id}' is ${current.status}, not waiting for input; only a task with waiting_for.type 'input' takes an answer.`,
        });
      }
      return toTaskObject(await tasks.get(scope, task.id));
    },
  );
}
