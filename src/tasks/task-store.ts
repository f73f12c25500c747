import {
  prepareRead,
  prepareWrite,
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

const ACTIVE: TaskStatus[] = ['pending', 'running', 'waiting'];

/** Task rows as the API reads and writes them (the runner's fenced writes live in agent/). */
export function createTaskStore(database: Database) {
  const { db } = database;
  // Creating and polling tasks are the hot paths: compile them once.
  const insertTask = prepareWrite(database, (database, arg) =>
    database
      .insertInto('tasks')
      .values(
        Object.fromEntries(TASK_COLUMNS.map((column, index) => [column, arg(index)])) as never,
      ),
  );
  const findTask = prepareRead(database, (database, arg) =>
    database
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', arg(0))
      .where('project_id', '=', arg(1))
      .where('environment', '=', arg(2)),
  );
  return {
    async insert(row: TaskRow): Promise<void> {
      await insertTask(...TASK_COLUMNS.map((column) => row[column]));
    },

    async get(scope: TaskScope, id: string): Promise<TaskRow | undefined> {
      return (await findTask(id, scope.projectId, scope.environment))[0];
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
      return query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
    },

    /** Moves an active task to cancelled; false when it was already terminal (or absent). */
    async cancel(scope: TaskScope, id: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('tasks')
        .set({
          status: 'cancelled',
          cancelled_at: now,
          updated_at: now,
          waiting_for: null,
          lease_owner: null,
          lease_expires_at: null,
        })
        .where('id', '=', id)
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('status', 'in', ACTIVE)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type TaskStore = ReturnType<typeof createTaskStore>;
