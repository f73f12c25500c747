import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock/index.js';
import {
  prepareWrite,
  toJson,
  type Database,
  type DatabaseSchema,
  type TaskStepsTable,
} from '../storage/index.js';
import type { TaskError, Usage } from '../tasks/index.js';
import { LeaseLostError } from './task-failure.js';

/** The claim a worker holds: every write below is fenced by it. */
export interface Fence {
  taskId: string;
  leaseToken: number;
}

export type StepRow = TaskStepsTable;

export interface NewStep {
  kind: StepRow['kind'];
  tool: string;
  action: string;
  callId?: string | null;
  status: StepRow['status'];
  input?: unknown;
  output?: unknown;
  error?: unknown;
  note?: string | null;
  startedAt: number;
  durationMs?: number | null;
  attempt?: number;
}

export interface StepUpdate {
  status: StepRow['status'];
  output?: unknown;
  error?: unknown;
  note?: string | null;
  durationMs: number;
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : toJson(value));

/** The columns an update changes, as stored. */
export function stepUpdateValues(
  update: StepUpdate,
): Pick<StepRow, 'status' | 'output' | 'error' | 'note' | 'duration_ms'> {
  return {
    status: update.status,
    output: jsonOrNull(update.output),
    error: jsonOrNull(update.error),
    note: update.note ?? null,
    duration_ms: update.durationMs,
  };
}

const STEP_COLUMNS = [
  'task_id',
  'seq',
  'kind',
  'tool',
  'action',
  'call_id',
  'status',
  'input',
  'output',
  'error',
  'note',
  'started_at',
  'duration_ms',
  'attempt',
] as const satisfies readonly (keyof StepRow)[];
// Fails to compile when a column is added to the table but not to this list.
const everyStepColumns: Exclude<keyof StepRow, (typeof STEP_COLUMNS)[number]> extends never
  ? true
  : never = true;
void everyStepColumns;

// Explicit casts: PostgreSQL cannot infer the type of a bare parameter in a select list.
const COLUMN_TYPES: Record<(typeof STEP_COLUMNS)[number], 'text' | 'integer' | 'bigint'> = {
  task_id: 'text',
  seq: 'integer',
  kind: 'text',
  tool: 'text',
  action: 'text',
  call_id: 'text',
  status: 'text',
  input: 'text',
  output: 'text',
  error: 'text',
  note: 'text',
  started_at: 'bigint',
  duration_ms: 'integer',
  attempt: 'integer',
};

/**
 * The durable step journal. Each write commits before the runner moves on, and only while
 * the writer still holds the task's lease (status running, same fencing token): a worker that
 * lost the task (cancelled, or taken over after a crash) cannot write another byte. The
 * statements are compiled once; each is a single fenced statement.
 */
export class TaskJournal {
  private readonly db: Kysely<DatabaseSchema>;
  private readonly insertStep: (...args: unknown[]) => Promise<number>;
  private readonly updateStep: (...args: unknown[]) => Promise<number>;
  private readonly completeTask: (...args: unknown[]) => Promise<number>;
  private readonly failTask: (...args: unknown[]) => Promise<number>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
    // PostgreSQL runs writers concurrently: lock the task row so a cancel that commits first
    // is seen. SQLite has a single writer, so the statement itself is the critical section.
    const lockRows = database.dialect === 'postgres';
    const fenceArgs = STEP_COLUMNS.length;
    this.insertStep = prepareWrite(database, (db, arg) =>
      db
        .insertInto('task_steps')
        .columns(STEP_COLUMNS)
        .expression((eb) =>
          eb
            .selectFrom('tasks')
            .select(
              STEP_COLUMNS.map((column, index) =>
                eb.cast(eb.val(arg(index)), COLUMN_TYPES[column]).as(column),
              ),
            )
            .where('tasks.id', '=', arg(fenceArgs))
            .where('tasks.lease_token', '=', arg(fenceArgs + 1))
            .where('tasks.status', '=', sql.lit('running'))
            .$if(lockRows, (query) => query.forUpdate()),
        ),
    );
    this.updateStep = prepareWrite(database, (db, arg) =>
      db
        .updateTable('task_steps')
        .set({
          status: arg(0),
          output: arg(1),
          error: arg(2),
          note: arg(3),
          duration_ms: arg(4),
        })
        .where('task_id', '=', arg(5))
        .where('seq', '=', arg(6))
        .where((where) =>
          where.exists(
            where
              .selectFrom('tasks')
              .select('tasks.id')
              .where('tasks.id', '=', arg(5))
              .where('tasks.lease_token', '=', arg(7))
              .where('tasks.status', '=', sql.lit('running')),
          ),
        ),
    );
    const finish = (outcome: 'complete' | 'failed') =>
      prepareWrite(database, (db, arg) =>
        db
          .updateTable('tasks')
          .set({
            status: sql.lit(outcome),
            ...(outcome === 'complete'
              ? { result: arg(0), completed_at: arg(2) }
              : { error: arg(0), failed_at: arg(2) }),
            usage: arg(1),
            updated_at: arg(2),
            lease_owner: null,
            lease_expires_at: null,
          })
          .where('id', '=', arg(3))
          .where('lease_token', '=', arg(4))
          .where('status', '=', sql.lit('running')),
      );
    this.completeTask = finish('complete');
    this.failTask = finish('failed');
  }

  loadSteps(taskId: string): Promise<StepRow[]> {
    return this.db
      .selectFrom('task_steps')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('seq', 'asc')
      .execute();
  }

  /** Appends a step, inserted only while the task is still this worker's. */
  async append(fence: Fence, seq: number, step: NewStep): Promise<StepRow> {
    const row: StepRow = {
      task_id: fence.taskId,
      seq,
      kind: step.kind,
      tool: step.tool,
      action: step.action,
      call_id: step.callId ?? null,
      status: step.status,
      input: jsonOrNull(step.input),
      output: jsonOrNull(step.output),
      error: jsonOrNull(step.error),
      note: step.note ?? null,
      started_at: step.startedAt,
      duration_ms: step.durationMs ?? null,
      attempt: step.attempt ?? 1,
    };
    const inserted = await this.insertStep(
      ...STEP_COLUMNS.map((column) => row[column]),
      fence.taskId,
      fence.leaseToken,
    );
    if (inserted === 0) throw new LeaseLostError(fence.taskId);
    return row;
  }

  async update(fence: Fence, seq: number, update: StepUpdate): Promise<void> {
    const values = stepUpdateValues(update);
    const updated = await this.updateStep(
      values.status,
      values.output,
      values.error,
      values.note,
      values.duration_ms,
      fence.taskId,
      seq,
      fence.leaseToken,
    );
    if (updated === 0) throw new LeaseLostError(fence.taskId);
  }

  async complete(fence: Fence, result: Record<string, unknown>, usage: Usage): Promise<void> {
    const done = await this.completeTask(
      toJson(result),
      toJson(usage),
      this.clock.now(),
      fence.taskId,
      fence.leaseToken,
    );
    if (done === 0) throw new LeaseLostError(fence.taskId);
  }

  async fail(fence: Fence, error: TaskError, usage: Usage): Promise<void> {
    const done = await this.failTask(
      toJson(error),
      toJson(usage),
      this.clock.now(),
      fence.taskId,
      fence.leaseToken,
    );
    if (done === 0) throw new LeaseLostError(fence.taskId);
  }
}
