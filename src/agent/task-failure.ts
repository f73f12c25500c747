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
  | 'user_id_required'
  | 'auth_not_configured'
  | 'auth_token_expired'
  | 'authorization_denied'
  | 'authorization_failed'
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

/**
 * A tool needs the end user's consent before it can run: the runner pauses the task
 * (`waiting_for: {type: "authorization"}`) and releases its worker.
 */
export class AuthorizationNeeded extends Error {
  constructor(readonly toolkit: string) {
    super(`The user must authorize ${toolkit} first.`);
    this.name = 'AuthorizationNeeded';
  }
}

/** The model asked the end user a question: the task waits for `POST /v1/tasks/:id/input`. */
export class InputNeeded extends Error {
  constructor(readonly question: string) {
    super("The task waits for the user's answer.");
    this.name = 'InputNeeded';
  }
}
