export { registerTaskRoutes } from './task-routes.js';
export { registerTaskInputRoute, type TaskInputs } from './task-input-routes.js';
export {
  registerTaskAuthorizationRoute,
  type TaskAuthorizations,
} from './task-authorization-route.js';
export { registerTaskEventRoutes, type TaskEventRouteOptions } from './task-event-routes.js';
export { createTaskService, type TaskService, type CreateTaskInput } from './task-service.js';
export { createTaskStore, type TaskStore, type TaskRow, type TaskScope } from './task-store.js';
export { toTaskObject } from './task-view.js';
export type { TaskError, WaitingFor, Usage, TaskObject } from './task-schemas.js';
export { TaskParamsSchema } from './task-schemas.js';
