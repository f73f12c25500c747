import { AppError } from '../errors/index.js';
import type { App } from '../http/app-types.js';
import { ErrorResponseSchema, commonErrorResponses } from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import { TaskParamsSchema, TaskSchema } from './task-schemas.js';
import type { TaskService } from './task-service.js';
import type { TaskRow, TaskScope } from './task-store.js';
import { toTaskObject } from './task-view.js';

/** New consent links for tasks waiting for authorization; implemented by the runtime. */
export interface TaskAuthorizations {
  renewLink(scope: TaskScope, task: TaskRow): Promise<'renewed' | 'not_waiting_for_authorization'>;
}

/**
 * `POST /v1/tasks/:task_id/authorization`: a new `waiting_for.auth_url` for a task waiting for
 * the user's consent, when the link it has expired (after an hour) or was opened and not
 * completed (a link works once). The task keeps waiting; the old link stays as it was.
 */
export function registerTaskAuthorizationRoute(
  app: App,
  tasks: TaskService,
  authorizations: TaskAuthorizations,
): void {
  app.post(
    '/v1/tasks/:task_id/authorization',
    {
      schema: {
        tags: ['Tasks'],
        summary:
          "Issue a new auth_url to a task waiting for authorization (waiting_for.type 'authorization')",
        params: TaskParamsSchema,
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
      if ((await authorizations.renewLink(scope, task)) === 'not_waiting_for_authorization') {
        const current = await tasks.get(scope, task.id);
        throw new AppError({
          code: 'task_not_waiting',
          message:
            current.status === 'waiting'
              ? `Task '${task.id}' is waiting for an answer, not for authorization; send it with POST /v1/tasks/${task.id}/input.`
              : `Task '${task.id}' is ${current.status}, not waiting for authorization; only a task with waiting_for.type 'authorization' gets a new link.`,
        });
      }
      return toTaskObject(await tasks.get(scope, task.id));
    },
  );
}
