import type { LanguageModelV3, LanguageModelV3Message } from '@ai-sdk/provider';
import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { RuntimeLimits } from '../config/index.js';
import {
  fromJson,
  prepareRead,
  type Database,
  type Environment,
  type TasksTable,
} from '../storage/index.js';
import type { SubagentService } from '../subagents/index.js';
import type { TaskError, Usage } from '../tasks/index.js';
import {
  ACTIVE_TOOL_LIMIT,
  TOOL_NAME_SEPARATOR,
  type CatalogEntry,
  type DomainSelector,
  type ToolExecutor,
} from '../tools/index.js';
import type { ClaimedTask } from '../queue/index.js';
import { StopReason, stopKindOf, type StopKind } from './abort-reason.js';
import { buildModelTools, callModel } from './call-model.js';
import {
  ASK_USER_ACTION,
  ASK_USER_NAME,
  CADRE_TOOLKIT,
  REQUEST_JSON_ACTION,
  SEARCH_TOOLS_ACTION,
  SEARCH_TOOLS_NAME,
  SELECT_TOOLS_ACTION,
  type RecordedToolCall,
  type SearchToolsOutput,
} from './journal-payloads.js';
import { parseFinalResult } from './parse-final-result.js';
import { replayJournal, type ReplayedState } from './replay-journal.js';
import { runToolCall, type RetryPolicy, type ToolCallRun } from './run-tool-call.js';
import { SubagentBriefs } from './subagent-briefs.js';
import { buildTaskContext, JSON_CORRECTION_PROMPT } from './system-prompt.js';
import { AuthorizationNeeded, InputNeeded, LeaseLostError, TaskFailure } from './task-failure.js';
import type { AuthorizationLinks } from './authorization-links.js';
import { JournalSession } from './journal-session.js';
import type { Fence, TaskJournal } from './task-journal.js';

/** How a run ended, from the worker's point of view. */
export type RunOutcome = 'complete' | 'failed' | 'waiting' | StopKind;

const MAX_CLAIM_ATTEMPTS = 5;

export interface TaskRunnerOptions {
  database: Database;
  journal: TaskJournal;
  subagents: SubagentService;
  selector: DomainSelector;
  executor: ToolExecutor;
  model: LanguageModelV3 | undefined;
  clock: Clock;
  limits: RuntimeLimits;
  retry: RetryPolicy;
  logger: Logger;
  /** Consent links for tools that need the end user's account (the connections feature). */
  authorizations?: AuthorizationLinks;
}

/**
 * Owns one claimed task until it is terminal (or the worker must stop): rebuilds the
 * conversation from the journal, then alternates model turns and tool calls, journaling each
 * before the next, until the model returns the final JSON result.
 */
export class TaskRunner {
  private readonly briefs: SubagentBriefs;
  private readonly readTask: (taskId: string) => Promise<TasksTable[]>;

  constructor(private readonly options: TaskRunnerOptions) {
    this.briefs = new SubagentBriefs(options.subagents, options.limits.maxSteps);
    this.readTask = prepareRead(options.database, (db, arg) =>
      db.selectFrom('tasks').selectAll().where('id', '=', arg(0)),
    );
  }

  async run(claim: ClaimedTask, workerSignal: AbortSignal): Promise<RunOutcome> {
    const fence: Fence = { taskId: claim.id, leaseToken: claim.leaseToken };
    let usage: Usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, model_calls: 0 };
    const controller = new AbortController();
    const signal = controller.signal;
    const forward = () => controller.abort(workerSignal.reason);
    if (workerSignal.aborted) forward();
    else workerSignal.addEventListener('abort', forward, { once: true });
    let deadlineTimer: NodeJS.Timeout | undefined;
    let session: JournalSession | undefined;
    try {
      const [task] = await this.readTask(claim.id);
      if (
        task === undefined ||
        task.status !== 'running' ||
        task.lease_token !== claim.leaseToken
      ) {
        return 'lease_lost';
      }
      if (task.deadline_at !== null) {
        deadlineTimer = setTimeout(
          () => controller.abort(new StopReason('deadline')),
          Math.max(0, task.deadline_at - this.options.clock.now()),
        );
      }
      session = new JournalSession(
        this.options.journal,
        fence,
        await this.options.journal.loadSteps(task.id),
      );
      let state = replayJournal(session.steps);
      usage = toUsage(state);
      if (claim.attempts > MAX_CLAIM_ATTEMPTS) {
        throw new TaskFailure({
          code: 'worker_crashed',
          message: `The task was interrupted ${claim.attempts - 1} times (worker crash or restart) and was given up.`,
          recoverable: true,
          suggestion: 'Retry the task; if it keeps happening, check the worker logs for crashes.',
        });
      }
      const model = this.options.model;
      if (model === undefined) {
        throw new TaskFailure({
          code: 'model_not_configured',
          message: 'No model is configured, so live tasks cannot run.',
          recoverable: true,
          suggestion:
            'Set CADRE_MODEL (e.g. openai:gpt-4.1-mini, anthropic:claude-sonnet-4-5 or openai-compatible:<model> with CADRE_MODEL_BASE_URL) and restart Cadre; mode "test" tasks work without a model.',
        });
      }
      const subagent = await this.briefs.load(task.subagent_id);
      if (subagent === undefined) {
        throw new TaskFailure({
          code: 'subagent_unavailable',
          message: `The subagent '${task.sub_agent}' no longer exists.`,
          recoverable: false,
        });
      }
      const scope = { projectId: task.project_id, environment: task.environment };
      const { domain, domainSet } = subagent;
      const resolved = await this.options.selector.resolve(scope, domain);
      const clock = this.options.clock;

      if (state.activeTools === undefined) {
        const ranked = await this.options.selector.rankForTask(
          scope,
          domain,
          task.prompt,
          ACTIVE_TOOL_LIMIT,
        );
        const names = ranked.map((tool) => tool.name);
        // Nothing waits for this step: it commits while the first model call runs.
        session.appendWithoutWaiting({
          kind: 'system',
          tool: CADRE_TOOLKIT,
          action: SELECT_TOOLS_ACTION,
          status: 'complete',
          output: { tools: names },
          note: `Offered ${names.length} of ${domain.length} tools: ${names.join(', ')}`,
          startedAt: clock.now(),
          durationMs: 0,
        });
        state = { ...state, activeTools: names };
      }

      // A crashed worker left these calls mid-flight; say so in the trace, then run them again.
      for (const interrupted of state.interrupted) {
        await session.update(interrupted.seq, {
          status: 'retrying',
          error: {
            code: 'worker_interrupted',
            message: 'The worker stopped during this call.',
            retryable: true,
          },
          note: 'Interrupted by a worker restart; running it again',
          durationMs: Math.max(0, clock.now() - interrupted.started_at),
        });
      }

      const toolRun: ToolCallRun = {
        session,
        executor: this.options.executor,
        clock,
        retry: this.options.retry,
        toolTimeoutMs: this.options.limits.toolTimeoutMs,
        deadlineAt: task.deadline_at,
        task: {
          id: task.id,
          projectId: task.project_id,
          environment: task.environment,
          userId: task.user_id,
        },
        signal,
      };
      const metadata = fromJson<Record<string, unknown>>(task.metadata);
      const prompt: LanguageModelV3Message = {
        role: 'user',
        content: [{ type: 'text', text: task.prompt }],
      };

      for (;;) {
        if (state.pendingCalls.length > 0) {
          try {
            for (const call of state.pendingCalls) {
              await this.executeCall(toolRun, resolved, domainSet, state, call);
            }
          } catch (error) {
            if (error instanceof AuthorizationNeeded || error instanceof InputNeeded) {
              await this.pause(fence, task, error);
              return 'waiting';
            }
            throw error;
          }
          state = replayJournal(session.steps);
          usage = toUsage(state);
          continue;
        }
        if (state.finalText !== undefined) {
          // A final answer already journaled (a worker stopped before completing the task).
          const final = finalResultOf(state);
          if (final !== undefined) {
            await session.complete(final, usage);
            return 'complete';
          }
          await session.append({
            kind: 'system',
            tool: CADRE_TOOLKIT,
            action: REQUEST_JSON_ACTION,
            status: 'complete',
            output: { message: JSON_CORRECTION_PROMPT },
            note: 'The reply was not a JSON object; asked the model again',
            startedAt: clock.now(),
            durationMs: 0,
          });
          state = replayJournal(session.steps);
          continue;
        }
        if (state.modelSteps >= this.options.limits.maxSteps) {
          throw new TaskFailure({
            code: 'max_steps_exceeded',
            message: `The task used all ${this.options.limits.maxSteps} model turns without finishing.`,
            recoverable: true,
            suggestion: 'Split the task into smaller tasks, or raise CADRE_MAX_STEPS.',
          });
        }
        const active = state.activeTools ?? [];
        const withSearch = domain.length > active.length;
        const system = `${subagent.instructions(withSearch)}\n\n${buildTaskContext({
          userId: task.user_id,
          metadata,
          nowIso: new Date(clock.now()).toISOString(),
        })}`;
        const startedAt = clock.now();
        let output;
        try {
          output = await callModel({
            model,
            system,
            messages: [prompt, ...state.messages],
            tools: buildModelTools(resolved, active, withSearch),
            signal,
          });
        } catch (error) {
          if (error instanceof TaskFailure) {
            await session.append({
              kind: 'model',
              tool: 'model',
              action: 'generate',
              status: 'failed',
              error: error.toTaskError(),
              note: error.message,
              startedAt,
              durationMs: clock.now() - startedAt,
            });
          }
          throw error;
        }
        const step = session.draft({
          kind: 'model',
          tool: 'model',
          action: 'generate',
          status: 'complete',
          output,
          note: describeModelStep(output.usage, output.tool_calls),
          startedAt,
          durationMs: clock.now() - startedAt,
        });
        const next = replayJournal([...session.steps, step]);
        // An empty final reply is judged at the top of the loop, after it is journaled.
        const final = next.finalText?.trim() ? finalResultOf(next) : undefined;
        if (final !== undefined) {
          // The answer and the end of the task commit together: one write, not two.
          await session.appendAndComplete(step, final, toUsage(next));
          return 'complete';
        }
        await session.appendDraft(step);
        state = next;
        usage = toUsage(state);
      }
    } catch (error) {
      // A step written without waiting commits before the task's end is recorded.
      const pendingFailure = await session?.settlePending();
      if (pendingFailure !== undefined && !(pendingFailure instanceof LeaseLostError)) {
        this.options.logger.warn(
          { err: pendingFailure, taskId: fence.taskId },
          'a journal step written without waiting failed',
        );
      }
      return await this.settle(fence, error, signal, usage);
    } finally {
      clearTimeout(deadlineTimer);
      workerSignal.removeEventListener('abort', forward);
    }
  }

  private async executeCall(
    run: ToolCallRun,
    resolved: ReadonlyMap<string, CatalogEntry>,
    domain: ReadonlySet<string>,
    state: ReplayedState,
    call: RecordedToolCall,
  ): Promise<void> {
    const attempt = (state.attempts.get(call.id) ?? 0) + 1;
    const input = isRecord(call.input) ? call.input : {};
    if (call.name === SEARCH_TOOLS_NAME && call.invalid === undefined) {
      await this.searchTools(run, resolved, domain, call.id, input, attempt);
      return;
    }
    if (call.name === ASK_USER_NAME && call.invalid === undefined) {
      await this.askUser(run, state, call.id, input, attempt);
      return;
    }
    const entry = resolved.get(call.name);
    const refusal =
      call.invalid ??
      (entry === undefined || !domain.has(call.name)
        ? `The tool '${call.name}' is not part of this subagent's domain and was not run.`
        : !(state.activeTools ?? []).includes(call.name)
          ? `The tool '${call.name}' is not available in this turn; call ${SEARCH_TOOLS_NAME} first.`
          : undefined);
    if (refusal !== undefined || entry === undefined) {
      const [toolkit, action] = splitToolName(call.name);
      const code = call.invalid === undefined ? 'tool_not_allowed' : 'invalid_tool_call';
      const message = refusal ?? 'Unknown tool.';
      await run.session.append({
        kind: 'tool',
        tool: toolkit,
        action,
        callId: call.id,
        status: 'failed',
        input: call.input,
        error: { code, message, retryable: false },
        note: message,
        startedAt: run.clock.now(),
        durationMs: 0,
        attempt,
      });
      return;
    }
    await runToolCall(run, entry, call.id, input, attempt);
  }

  private async searchTools(
    run: ToolCallRun,
    resolved: ReadonlyMap<string, CatalogEntry>,
    domain: ReadonlySet<string>,
    callId: string,
    input: Record<string, unknown>,
    attempt: number,
  ): Promise<void> {
    const startedAt = run.clock.now();
    const query = typeof input.query === 'string' ? input.query : '';
    const scope = { projectId: run.task.projectId, environment: run.task.environment };
    const ranked = await this.options.selector.rankForTask(scope, [...domain], query, 8);
    const found = ranked.filter((tool) => tool.score > 0 || ranked.length <= 8);
    const output: SearchToolsOutput = {
      tools: found.map((tool) => ({
        name: tool.name,
        description: resolved.get(tool.name)?.tool.description.slice(0, 300) ?? '',
      })),
    };
    await run.session.append({
      kind: 'tool',
      tool: CADRE_TOOLKIT,
      action: SEARCH_TOOLS_ACTION,
      callId,
      status: 'complete',
      input,
      output,
      note: `"${query.slice(0, 80)}" → ${output.tools.map((tool) => tool.name).join(', ') || 'nothing'}`,
      startedAt,
      durationMs: run.clock.now() - startedAt,
      attempt,
    });
  }

  /**
   * The model asks the end user: the question is journaled as a running `ask_user` step that
   * the answer completes (`POST /v1/tasks/:id/input`), and the task waits for it.
   */
  private async askUser(
    run: ToolCallRun,
    state: ReplayedState,
    callId: string,
    input: Record<string, unknown>,
    attempt: number,
  ): Promise<void> {
    const question = typeof input.question === 'string' ? input.question.trim() : '';
    if (question === '') {
      const message = 'ask_user needs a non-empty "question" string.';
      await run.session.append({
        kind: 'tool',
        tool: CADRE_TOOLKIT,
        action: ASK_USER_ACTION,
        callId,
        status: 'failed',
        input,
        error: { code: 'invalid_tool_call', message, retryable: false },
        note: message,
        startedAt: run.clock.now(),
        durationMs: 0,
        attempt,
      });
      return;
    }
    // A worker that stopped between asking and pausing left the question open: reuse it.
    if (!state.openQuestions.has(callId)) {
      await run.session.append({
        kind: 'tool',
        tool: CADRE_TOOLKIT,
        action: ASK_USER_ACTION,
        callId,
        status: 'running',
        input: { question },
        note: `Asked the user: ${question.slice(0, 200)}`,
        startedAt: run.clock.now(),
        attempt,
      });
    }
    throw new InputNeeded(question);
  }

  /** `running → waiting`: for the user's consent (with a fresh link) or their answer. */
  private async pause(
    fence: Fence,
    task: { id: string; project_id: string; environment: Environment; user_id: string | null },
    reason: AuthorizationNeeded | InputNeeded,
  ): Promise<void> {
    if (reason instanceof InputNeeded) {
      await this.options.journal.wait(fence, { type: 'input', question: reason.question });
      return;
    }
    const links = this.options.authorizations;
    if (links === undefined || task.user_id === null) {
      throw new TaskFailure({
        code: 'auth_not_configured',
        message: `${reason.toolkit} needs the user's authorization, and this server cannot ask for it.`,
        tool: reason.toolkit,
        recoverable: false,
      });
    }
    const { authUrl } = await links.start(
      { projectId: task.project_id, environment: task.environment },
      { taskId: task.id, userId: task.user_id, toolkit: reason.toolkit },
    );
    await this.options.journal.wait(fence, {
      type: 'authorization',
      service: reason.toolkit,
      auth_url: authUrl,
    });
  }

  private async settle(
    fence: Fence,
    error: unknown,
    signal: AbortSignal,
    usage: Usage,
  ): Promise<RunOutcome> {
    const stopKind = stopKindOf(signal);
    if (error instanceof LeaseLostError) return 'lease_lost';
    if (stopKind === 'cancelled' || stopKind === 'lease_lost' || stopKind === 'shutdown')
      return stopKind;
    let failure: TaskError;
    if (stopKind === 'deadline') {
      failure = new TaskFailure({
        code: 'task_deadline_exceeded',
        message: 'The task did not finish before its deadline.',
        recoverable: true,
        suggestion: 'Split the task into smaller tasks, or raise CADRE_TASK_DEADLINE_MS.',
      }).toTaskError();
    } else if (error instanceof TaskFailure) {
      failure = error.toTaskError();
    } else {
      this.options.logger.error({ err: error, taskId: fence.taskId }, 'task runner failed');
      failure = {
        code: 'internal_error',
        message: 'Cadre hit an internal error while running the task.',
        recoverable: true,
        suggestion: 'Retry the task; the server log has the details.',
      };
    }
    try {
      await this.options.journal.fail(fence, failure, usage);
      return 'failed';
    } catch (writeError) {
      if (writeError instanceof LeaseLostError) return 'lease_lost';
      throw writeError;
    }
  }
}

function toUsage(state: ReplayedState): Usage {
  return {
    input_tokens: state.usage.input_tokens,
    output_tokens: state.usage.output_tokens,
    total_tokens: state.usage.input_tokens + state.usage.output_tokens,
    model_calls: state.usage.model_calls,
  };
}

function describeModelStep(
  usage: { input_tokens: number; output_tokens: number },
  calls: RecordedToolCall[],
): string {
  const tokens = `${usage.input_tokens} in / ${usage.output_tokens} out tokens`;
  if (calls.length === 0) return `${tokens} · final answer`;
  return `${tokens} · ${calls.length} tool call${calls.length === 1 ? '' : 's'}: ${calls.map((call) => call.name).join(', ')}`;
}

/**
 * The task's result when the latest model turn ended it: its JSON object, or after one
 * correction whatever it said. Undefined while there is more to do (tool calls to run, or a
 * reply that was not JSON and gets one correction).
 */
function finalResultOf(state: ReplayedState): Record<string, unknown> | undefined {
  if (state.finalText === undefined) return undefined;
  const result = parseFinalResult(state.finalText);
  if (result !== undefined) return result;
  return state.jsonCorrections >= 1 ? fallbackResult(state.finalText) : undefined;
}

/** After one correction the model still gave prose: keep it rather than lose the work. */
function fallbackResult(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    throw new TaskFailure({
      code: 'invalid_model_output',
      message: 'The model finished without a result (an empty reply and no tool calls).',
      tool: 'model',
      recoverable: true,
      suggestion: 'Retry the task; if it keeps happening, use a model that supports tool calling.',
    });
  }
  return { answer: text };
}

function splitToolName(name: string): [string, string] {
  const index = name.indexOf(TOOL_NAME_SEPARATOR);
  return index === -1
    ? [CADRE_TOOLKIT, name]
    : [name.slice(0, index), name.slice(index + TOOL_NAME_SEPARATOR.length)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
