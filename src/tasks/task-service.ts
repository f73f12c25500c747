import type { Clock } from '../clock/index.js';
import { AppError } from '../errors/index.js';
import type { EventBus } from '../events/index.js';
import { newSortableId, toJson } from '../storage/index.js';
import type { SubagentService } from '../subagents/index.js';
import { ACTIVE_TOOL_LIMIT, type DomainSelector } from '../tools/index.js';
import type {
  TaskListFilter,
  TaskObjectRow,
  TaskRow,
  TaskScope,
  TaskStore,
  TaskSummaryRow,
} from './task-store.js';

export interface CreateTaskInput {
  prompt: string;
  sub_agent: string;
  user_id?: string | null | undefined;
  metadata?: Record<string, unknown> | undefined;
  mode?: 'live' | 'test' | undefined;
}

export interface TaskService {
  create(scope: TaskScope, input: CreateTaskInput): Promise<TaskRow>;
  get(scope: TaskScope, id: string): Promise<TaskRow>;
  /** Like `get`, with only the columns the task object shows (GET /v1/tasks/:id). */
  getObjectRow(scope: TaskScope, id: string): Promise<TaskObjectRow>;
  list(
    scope: TaskScope,
    filter: TaskListFilter,
    limit: number,
    offset: number,
  ): Promise<TaskSummaryRow[]>;
  cancel(scope: TaskScope, id: string): Promise<TaskRow>;
}

export function createTaskService(options: {
  store: TaskStore;
  subagents: SubagentService;
  selector: DomainSelector;
  events: EventBus;
  clock: Clock;
  taskDeadlineMs: number;
  isModelConfigured: boolean;
}): TaskService {
  const { store, subagents, selector, events, clock } = options;

  async function get(scope: TaskScope, id: string): Promise<TaskRow> {
    return (await store.get(scope, id)) ?? taskNotFound(id);
  }

  async function getObjectRow(scope: TaskScope, id: string): Promise<TaskObjectRow> {
    return (await store.getObjectRow(scope, id)) ?? taskNotFound(id);
  }

  async function previewResult(
    scope: TaskScope,
    subagentName: string,
    tools: string[],
    prompt: string,
  ) {
    const ranked = await selector.rankForTask(scope, tools, prompt, ACTIVE_TOOL_LIMIT);
    return {
      mode: 'test',
      valid: true,
      sub_agent: subagentName,
      tools_available: tools.length,
      tools: ranked,
      search_tools: tools.length > ACTIVE_TOOL_LIMIT,
      model_configured: options.isModelConfigured,
    };
  }

  return {
    async create(scope, input) {
      let subagent;
      try {
        subagent = await subagents.get(scope, input.sub_agent);
      } catch (error) {
        if (error instanceof AppError && error.code === 'subagent_not_found') {
          throw new AppError({
            code: 'subagent_not_found',
            message: `No subagent named '${input.sub_agent}' is deployed. Deploy it with POST /v1/subagents or list them with GET /v1/subagents.`,
            param: 'sub_agent',
          });
        }
        throw error;
      }
      const now = clock.now();
      const mode = input.mode ?? 'live';
      const row: TaskRow = {
        // Sortable, so tasks created in the same millisecond still list newest first.
        id: newSortableId('task'),
        project_id: scope.projectId,
        environment: scope.environment,
        subagent_id: subagent.id,
        sub_agent: subagent.name,
        prompt: input.prompt,
        user_id: input.user_id ?? null,
        metadata: toJson(input.metadata ?? {}),
        mode,
        status: 'pending',
        result: null,
        error: null,
        waiting_for: null,
        usage: null,
        created_at: now,
        updated_at: now,
        started_at: null,
        completed_at: null,
        failed_at: null,
        cancelled_at: null,
        run_at: now,
        deadline_at: now + options.taskDeadlineMs,
        lease_owner: null,
        lease_token: 0,
        lease_expires_at: null,
        attempts: 0,
      };
      if (mode === 'test') {
        const tools = subagents.domainTools(subagent).map((tool) => tool.name);
        row.status = 'complete';
        row.result = toJson(await previewResult(scope, subagent.name, tools, input.prompt));
        row.started_at = now;
        row.completed_at = now;
        row.deadline_at = null;
        await store.insertCompleted(row);
        return row;
      }
      await store.insert(row);
      events.publish('task.enqueued', { taskId: row.id });
      return row;
    },

    get,

    getObjectRow,

    list: (scope, filter, limit, offset) => store.list(scope, filter, limit, offset),

    async cancel(scope, id) {
      const cancelled = await store.cancel(scope, id, clock.now());
      const row = await get(scope, id);
      if (!cancelled) {
        throw new AppError({
          code: 'task_already_complete',
          message: `Task '${id}' is already ${row.status}; only pending, running or waiting tasks can be cancelled.`,
          param: 'task_id',
        });
      }
      events.publish('task.cancelled', { taskId: id });
      return row;
    },
  };
}

function taskNotFound(id: string): never {
  throw new AppError({
    code: 'task_not_found',
    message: `No task with id '${id}' exists.`,
    param: 'task_id',
  });
}
