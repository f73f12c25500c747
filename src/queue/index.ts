export type { TaskQueue, ClaimedTask } from './task-queue.js';
export { createTableTaskQueue } from './table-task-queue.js';
