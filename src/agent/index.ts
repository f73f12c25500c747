export { TaskRunner, type RunOutcome, type TaskRunnerOptions } from './task-runner.js';
export { TaskWorker, type TaskWorkerOptions } from './task-worker.js';
export {
  TaskJournal,
  type Fence,
  type TaskJournalEvents,
  type StepIdentity,
} from './task-journal.js';
export { defaultRetryPolicy, type RetryPolicy } from './run-tool-call.js';
export { TaskFailure, type TaskFailureCode } from './task-failure.js';
export { WaitingTasks, type InputOutcome } from './waiting-tasks.js';
export type { AuthorizationLinks } from './authorization-links.js';
