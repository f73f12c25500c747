import type { TaskError } from '../tasks/index.js';

/** Codes a task can fail with (the task's `error.code`, not an HTTP error). */
export type TaskFailureCode =
  | 'model_not_configured'
  | 'model_unavailable'
  | 'model_auth_failed'
  | 'model_error'
  | 'invalid_model_output'
  | 'tool_timeout'
  | 'max_steps_exceeded'
  | 'task_deadline_exceeded'
  | 'subagent_unavailable'
  | 'worker_crashed'
  | 'internal_error';

/** Thrown inside the runner to end a task as `failed` with a helpful error object. */
export class TaskFailure extends Error {
  readonly code: TaskFailureCode;
  readonly tool: string | undefined;
  readonly recoverable: boolean;
  readonly suggestion: string | undefined;

  constructor(options: {
    code: TaskFailureCode;
    message: string;
    tool?: string;
    recoverable: boolean;
    suggestion?: string;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaskFailure';
    this.code = options.code;
    this.tool = options.tool;
    this.recoverable = options.recoverable;
    this.suggestion = options.suggestion;
  }

  toTaskError(): TaskError {
    const error: TaskError = {
      code: this.code,
      message: this.message,
      recoverable: this.recoverable,
    };
    if (this.tool !== undefined) error.tool = this.tool;
    if (this.suggestion !== undefined) error.suggestion = this.suggestion;
    return error;
  }
}

/** The worker lost the task (cancelled, or its lease was taken over): stop without writing. */
export class LeaseLostError extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} is no longer owned by this worker.`);
    this.name = 'LeaseLostError';
  }
}
