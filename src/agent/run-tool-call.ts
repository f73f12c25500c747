import { scopedTimeout } from '../abort/index.js';
import type { Clock } from '../clock/index.js';
import type { Environment } from '../storage/index.js';
import { isToolError, type CatalogEntry, type ToolExecutor } from '../tools/index.js';
import {
  isUserAuthorizationError,
  type UserAuthorizationError,
} from '../tools/user-credentials.js';
import { sleep, stopKindOf } from './abort-reason.js';
import type { ToolStepError } from './journal-payloads.js';
import type { JournalSession } from './journal-session.js';
import type { StepUpdate } from './task-journal.js';
import { AuthorizationNeeded, TaskFailure } from './task-failure.js';

export interface RetryPolicy {
  /** Attempts per call for transient failures (network, 429, 5xx). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

const MAX_OUTPUT_CHARS = 24_000;

export interface ToolCallOutcome {
  ok: boolean;
  output?: unknown;
  error?: ToolStepError;
}

export interface ToolCallRun {
  session: JournalSession;
  executor: ToolExecutor;
  clock: Clock;
  retry: RetryPolicy;
  toolTimeoutMs: number;
  deadlineAt: number | null;
  task: { id: string; projectId: string; environment: Environment; userId: string | null };
  signal: AbortSignal;
}

/**
 * Executes one tool call: journals each attempt, retries transient failures with backoff
 * (honouring Retry-After), and returns the final outcome for the model. A timeout fails the
 * task; cancellation and deadlines propagate as the signal's reason.
 */
export async function runToolCall(
  run: ToolCallRun,
  entry: CatalogEntry,
  callId: string,
  input: Record<string, unknown>,
  firstAttempt: number,
): Promise<ToolCallOutcome> {
  const { session, clock } = run;
  for (let attempt = firstAttempt; ; attempt += 1) {
    const startedAt = clock.now();
    const step = {
      kind: 'tool' as const,
      tool: entry.toolkit.name,
      action: entry.tool.action,
      callId,
      input,
      startedAt,
      attempt,
    };
    // A call that changes something upstream is journaled before it starts, so a crash
    // mid-call shows up on resume (and it is re-run with the same idempotency key). A call
    // without side effects is journaled once, when it ends.
    const seq = entry.tool.sideEffects
      ? await session.append({ ...step, status: 'running' })
      : undefined;
    const finish = (update: StepUpdate) =>
      seq === undefined
        ? session.append({ ...step, ...update }).then(() => undefined)
        : session.update(seq, update);
    const timeout = scopedTimeout(run.signal, run.toolTimeoutMs);
    try {
      const result = await run.executor.execute(entry.toolkit, entry.tool, input, {
        taskId: run.task.id,
        idempotencyKey: `${run.task.id}:${callId}`,
        projectId: run.task.projectId,
        environment: run.task.environment,
        userId: run.task.userId,
        signal: timeout.signal,
        timeoutMs: run.toolTimeoutMs,
      });
      const output = capOutput(result.output);
      await finish({
        status: 'complete',
        output,
        note: result.note ?? null,
        durationMs: clock.now() - startedAt,
      });
      return { ok: true, output };
    } catch (error) {
      const stopKind = stopKindOf(run.signal);
      if (stopKind === 'deadline') {
        await finish({
          status: 'failed',
          error: {
            code: 'task_deadline_exceeded',
            message: 'Stopped at the task deadline.',
            retryable: false,
          },
          note: 'Stopped at the task deadline.',
          durationMs: clock.now() - startedAt,
        });
      }
      if (stopKind !== undefined) throw run.signal.reason;
      const durationMs = clock.now() - startedAt;
      if (isUserAuthorizationError(error)) {
        if (error.reason === 'consent') {
          // Not a result: the call runs again once the user has connected the account.
          await finish({
            status: 'skipped',
            note: `Needs the user's ${error.toolkit} account; waiting for their authorization`,
            durationMs,
          });
          throw new AuthorizationNeeded(error.toolkit);
        }
        const failure = authorizationFailure(error);
        await finish({
          status: 'failed',
          error: { code: failure.code, message: failure.message, retryable: false },
          note: failure.message,
          durationMs,
        });
        throw failure;
      }
      const timedOut = timeout.timedOut || (isToolError(error) && error.code === 'tool_timeout');
      const stepError = toStepError(error, timedOut, run.toolTimeoutMs);
      if (timedOut) {
        await finish({
          status: 'failed',
          error: stepError,
          note: stepError.message,
          durationMs,
        });
        throw new TaskFailure({
          code: 'tool_timeout',
          message: `${entry.name} did not answer within ${run.toolTimeoutMs / 1000} s.`,
          tool: entry.toolkit.name,
          recoverable: true,
          suggestion:
            'Retry the task; if the service is slow, raise CADRE_TOOL_TIMEOUT_MS or check the service.',
        });
      }
      const delayMs = retryDelay(run, error, attempt);
      if (delayMs !== undefined) {
        await finish({
          status: 'retrying',
          error: stepError,
          note: `${stepError.message} — retrying in ${(delayMs / 1000).toFixed(1)} s`,
          durationMs,
        });
        await sleep(delayMs, run.signal);
        continue;
      }
      await finish({
        status: 'failed',
        error: stepError,
        note: stepError.message,
        durationMs,
      });
      return { ok: false, error: stepError };
    } finally {
      timeout.dispose();
    }
  }
}

/** The task-level failure for a credential problem the model cannot fix by itself. */
function authorizationFailure(error: UserAuthorizationError): TaskFailure {
  const tool = error.toolkit;
  switch (error.reason) {
    case 'user_id_required':
      return new TaskFailure({
        code: 'user_id_required',
        message: `${tool} acts on behalf of an end user, and the task was created without user_id.`,
        tool,
        recoverable: true,
        suggestion: 'Create the task again with the user_id of the end user it acts for.',
      });
    case 'not_configured':
      return new TaskFailure({
        code: 'auth_not_configured',
        message: error.message,
        tool,
        recoverable: true,
        suggestion: `Configure the OAuth client with POST /v1/toolkits/${tool}/auth_config, then retry the task.`,
      });
    case 'token_expired':
    case 'consent':
      // Exactly the spec's example (the trace's failed step names the toolkit).
      return new TaskFailure({
        code: 'auth_token_expired',
        message: "The user's OAuth token has expired and automatic refresh failed.",
        recoverable: true,
        suggestion: 'Prompt the user to re-authorize access',
      });
  }
}

function retryDelay(run: ToolCallRun, error: unknown, attempt: number): number | undefined {
  if (!isToolError(error) || !error.retryable || attempt >= run.retry.maxAttempts) return undefined;
  const backoff = Math.min(
    run.retry.maxDelayMs,
    run.retry.baseDelayMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4),
  );
  const delay = Math.max(backoff, Math.min(error.retryAfterMs ?? 0, run.retry.maxDelayMs));
  // Waiting past the deadline helps nobody: hand the failure to the model instead.
  if (run.deadlineAt !== null && run.clock.now() + delay >= run.deadlineAt) return undefined;
  return Math.round(delay);
}

function toStepError(error: unknown, timedOut: boolean, timeoutMs: number): ToolStepError {
  if (timedOut) {
    return {
      code: 'tool_timeout',
      message: `No answer within ${timeoutMs / 1000} s.`,
      retryable: true,
    };
  }
  if (isToolError(error)) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable,
      ...(error.status === undefined ? {} : { status: error.status }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'tool_failed', message, retryable: false };
}

function capOutput(output: unknown): unknown {
  const text = JSON.stringify(output ?? null);
  if (text.length <= MAX_OUTPUT_CHARS) return output ?? null;
  return {
    truncated: true,
    original_size_chars: text.length,
    preview: text.slice(0, MAX_OUTPUT_CHARS),
  };
}
