import { sql } from 'kysely';
import type { TaskEventRecorder } from '../events/index.js';
import {
  fromJson,
  prepareRead,
  prepareStatement,
  type Database,
  type Environment,
  type TaskStatus,
  type TasksTable,
} from '../storage/index.js';

export type TaskRow = TasksTable;

export interface TaskScope {
  projectId: string;
  environment: Environment;
}

export interface TaskListFilter {
  status?: TaskStatus | undefined;
  subAgent?: string | undefined;
  userId?: string | undefined;
}

const LIST_COLUMNS = [
  'id',
  'status',
  'sub_agent',
  'user_id',
  'mode',
  'metadata',
  'created_at',
  'started_at',
  'completed_at',
  'failed_at',
  'cancelled_at',
] as const;

export type TaskSummaryRow = Pick<TaskRow, (typeof LIST_COLUMNS)[number]>;

const TASK_COLUMNS = [
  'id',
  'project_id',
  'environment',
  'subagent_id',
  'sub_agent',
  'prompt',
  'user_id',
  'metadata',
  'mode',
  'status',
  'result',
  'error',
  'waiting_for',
  'usage',
  'created_at',
  'updated_at',
  'started_at',
  'completed_at',
  'failed_at',
  'cancelled_at',
  'run_at',
  'deadline_at',
  'lease_owner',
  'lease_token',
  'lease_expires_at',
  'attempts',
] as const satisfies readonly (keyof TaskRow)[];
// Fails to compile when a column is added to the table but not to this list.
const everyTaskColumns: Exclude<keyof TaskRow, (typeof TASK_COLUMNS)[number]> extends never
  ? true
  : never = true;
void everyTaskColumns;

/** What the task object shows (GET /v1/tasks/:id): a narrower row is a cheaper read. */
const OBJECT_COLUMNS = [
  ...LIST_COLUMNS,
  'prompt',
  'result',
  'error',
  'waiting_for',
  'usage',
] as const satisfies readonly (keyof TaskRow)[];

export type TaskObjectRow = Pick<TaskRow, (typeof OBJECT_COLUMNS)[number]>;

const ACTIVE: TaskStatus[] = ['pending', 'running', 'waiting'];

/**
 * Task rows as the API reads and writes them (the runner's fenced writes live in agent/).
 * Transitions the API makes (cancel, a test-mode task that is complete at once) commit with
 * their task event.
 */
export function createTaskStore(database: Database, recorder: TaskEventRecorder) {
  const { db } = database;
  // Creating and polling tasks are the hot paths: compile them once.
  const buildInsert = (database: Database) =>
    prepareStatement(database, (database, arg) =>
      database
        .insertInto('tasks')
        .values(
          Object.fromEntries(TASK_COLUMNS.map((column, index) => [column, arg(index)])) as never,
        ),
    );
  const insertStatement = buildInsert(database);
  const cancelTask = prepareStatement(database, (database, arg) =>
    database
      .updateTable('tasks')
      .set({
        status: 'cancelled',
        cancelled_at: arg(0),
        updated_at: arg(0),
        waiting_for: null,
        lease_owner: null,
        lease_expires_at: null,
      })
      .where('id', '=', arg(1))
      .where('project_id', '=', arg(2))
      .where('environment', '=', arg(3))
      .where('status', 'in', ACTIVE),
  );
  const findTask = prepareRead(database, (database, arg) =>
    database
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', arg(0))
      .where('project_id', '=', arg(1))
      .where('environment', '=', arg(2)),
  );
  const findTaskObject = prepareRead(database, (database, arg) =>
    database
      .selectFrom('tasks')
      .select(OBJECT_COLUMNS)
      .where('id', '=', arg(0))
      .where('project_id', '=', arg(1))
      .where('environment', '=', arg(2)),
  );
  return {
    async insert(row: TaskRow): Promise<void> {
      const insert = insertStatement(...TASK_COLUMNS.map((column) => row[column]));
      await database.writeCompiled(insert.sql, insert.parameters);
    },

    /** Inserts a task that is already complete (mode "test"), with its `task.complete` event. */
    async insertCompleted(row: TaskRow): Promise<void> {
      if (row.status !== 'complete' || row.result === null) {
        throw new TypeError('insertCompleted needs a complete task with a result');
      }
      const event = {
        taskId: row.id,
        type: 'task.complete' as const,
        data: fromJson<unknown>(row.result),
        at: row.completed_at ?? row.updated_at,
      };
      const [, ...recorded] = await database.writeCompiledBatch([
        insertStatement(...TASK_COLUMNS.map((column) => row[column])),
        ...recorder.record(event, { status: 'complete' }),
      ]);
      recorder.announce(event, recorded);
    },

    async get(scope: TaskScope, id: string): Promise<TaskRow | undefined> {
      return (await findTask(id, scope.projectId, scope.environment))[0];
    },

    /** The columns the task object shows, for the polling read. */
    async getObjectRow(scope: TaskScope, id: string): Promise<TaskObjectRow | undefined> {
      return (await findTaskObject(id, scope.projectId, scope.environment))[0];
    },

    list(
      scope: TaskScope,
      filter: TaskListFilter,
      limit: number,
      offset: number,
    ): Promise<TaskSummaryRow[]> {
      let query = db
        .selectFrom('tasks')
        .select(LIST_COLUMNS)
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.subAgent !== undefined) query = query.where('sub_agent', '=', filter.subAgent);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      // Cast: a LIMIT/OFFSET bound as a plain parameter makes SQLite recompile the cached
      // statement on every call (see subagent-store).
      return query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(sql<number>`cast(${limit} as integer)`)
        .offset(sql<number>`cast(${offset} as integer)`)
        .execute();
    },

    /**
     * Moves an active task to cancelled, with its `task.cancelled` event; false when it was
     * already terminal (or absent).
     */
    async cancel(scope: TaskScope, id: string, now: number): Promise<boolean> {
      const event = { taskId: id, type: 'task.cancelled' as const, data: {}, at: now };
      const [cancelled = 0, ...recorded] = await database.writeCompiledBatch([
        cancelTask(now, id, scope.projectId, scope.environment),
        // Keyed like every terminal event: a task that ended otherwise records nothing here.
        ...recorder.record(event, { status: 'cancelled', updatedAt: now }),
      ]);
      recorder.announce(event, recorded);
      return cancelled > 0;
    },
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;
