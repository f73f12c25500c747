import { sql } from 'kysely';
import type { Clock } from '../clock/index.js';
import type {
  EventBus,
  NewTaskEvent,
  TaskEventCondition,
  TaskEventRecorder,
} from '../events/index.js';
import {
  prepareRead,
  prepareStatement,
  prepareWrite,
  toJson,
  type CompiledWrite,
  type Database,
  type TaskStepsTable,
} from '../storage/index.js';
import type { TaskError, Usage, WaitingFor } from '../tasks/index.js';
import { stepProgress } from './step-progress.js';
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

/** What the journal reports besides writing: task events, and wake-ups for their readers. */
export interface TaskJournalEvents {
  recorder: TaskEventRecorder;
  bus: EventBus;
}

/** The identity of a step, which an update alone does not carry. */
export type StepIdentity = Pick<StepRow, 'kind' | 'tool' | 'action'>;

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
 * statements are compiled once. A write that changes what callers can see (a finished step,
 * the end of the task, a pause) commits together with its task event, which is itself
 * conditional on the new state: either both exist or neither does.
 */
export class TaskJournal {
  private readonly selectSteps: (taskId: string) => Promise<StepRow[]>;
  private readonly insertStep: (...args: unknown[]) => CompiledWrite;
  private readonly updateStep: (...args: unknown[]) => CompiledWrite;
  private readonly completeTask: (...args: unknown[]) => CompiledWrite;
  private readonly failTask: (...args: unknown[]) => CompiledWrite;
  private readonly waitTask: (...args: unknown[]) => CompiledWrite;
  private readonly resumeTask: (...args: unknown[]) => Promise<number>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly events: TaskJournalEvents,
  ) {
    // Every run starts by replaying its journal: one prepared read.
    this.selectSteps = prepareRead(database, (db, arg) =>
      db.selectFrom('task_steps').selectAll().where('task_id', '=', arg(0)).orderBy('seq', 'asc'),
    );
    // PostgreSQL runs writers concurrently: lock the task row so a cancel that commits first
    // is seen. SQLite has a single writer, so the statement itself is the critical section.
    const lockRows = database.dialect === 'postgres';
    const fenceArgs = STEP_COLUMNS.length;
    this.insertStep = prepareStatement(database, (db, arg) =>
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
    this.updateStep = prepareStatement(database, (db, arg) =>
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
      prepareStatement(database, (db, arg) =>
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
    // The token stays: the waiting event is keyed by it, and a resumed task's claim bumps it.
    this.waitTask = prepareStatement(database, (db, arg) =>
      db
        .updateTable('tasks')
        .set({
          status: sql.lit('waiting'),
          waiting_for: arg(0),
          updated_at: arg(1),
          lease_owner: null,
          lease_expires_at: null,
        })
        .where('id', '=', arg(2))
        .where('lease_token', '=', arg(3))
        .where('status', '=', sql.lit('running')),
    );
    this.resumeTask = prepareWrite(database, (db, arg) =>
      db
        .updateTable('tasks')
        .set({
          status: sql.lit('pending'),
          waiting_for: null,
          run_at: arg(0),
          updated_at: arg(0),
          // Time spent waiting for the user does not count against the task's deadline.
          deadline_at: sql<number>`deadline_at + (cast(${arg(0)} as bigint) - updated_at)`,
        })
        .where('id', '=', arg(1))
        .where('status', '=', sql.lit('waiting')),
    );
  }

  loadSteps(taskId: string): Promise<StepRow[]> {
    return this.selectSteps(taskId);
  }

  /**
   * Appends a step, inserted only while the task is still this worker's. A finished model or
   * tool step also records a `task.progress` event.
   */
  append(fence: Fence, seq: number, step: NewStep): Promise<StepRow> {
    return this.appendRow(fence, this.draft(fence, seq, step));
  }

  /** Appends a drafted step row (see `draft`). */
  async appendRow(fence: Fence, row: StepRow): Promise<StepRow> {
    const inserted = await this.writeWithProgress(fence, this.insertOf(fence, row), row);
    if (inserted === 0) throw new LeaseLostError(fence.taskId);
    return row;
  }

  /** The row `append` would write, not yet written. */
  draft(fence: Fence, seq: number, step: NewStep): StepRow {
    return {
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
  }

  /**
   * Appends the step that ends the task (the model's final answer) and completes the task in
   * one commit: the step, its progress event, the result and `task.complete`, or none of them.
   */
  async appendAndComplete(
    fence: Fence,
    row: StepRow,
    result: Record<string, unknown>,
    usage: Usage,
  ): Promise<void> {
    const now = this.clock.now();
    const progress = this.progressOf(fence, row);
    const completed: NewTaskEvent = {
      taskId: fence.taskId,
      type: 'task.complete',
      data: result,
      at: now,
    };
    const progressWrites =
      progress === undefined
        ? []
        : // Recorded before the task row changes: it is still running then.
          this.events.recorder.record(progress, {
            status: 'running',
            leaseToken: fence.leaseToken,
          });
    const [inserted = 0, ...rest] = await this.database.writeCompiledBatch([
      this.insertOf(fence, row),
      ...progressWrites,
      this.completeTask(toJson(result), toJson(usage), now, fence.taskId, fence.leaseToken),
      ...this.events.recorder.record(completed, {
        status: 'complete',
        leaseToken: fence.leaseToken,
      }),
    ]);
    const progressRecorded = rest.slice(0, progressWrites.length);
    const [changed = 0, ...completeRecorded] = rest.slice(progressWrites.length);
    if (inserted === 0 || changed === 0) throw new LeaseLostError(fence.taskId);
    if (progress !== undefined) this.events.recorder.announce(progress, progressRecorded);
    this.events.recorder.announce(completed, completeRecorded);
  }

  private insertOf(fence: Fence, row: StepRow): CompiledWrite {
    return this.insertStep(
      ...STEP_COLUMNS.map((column) => row[column]),
      fence.taskId,
      fence.leaseToken,
    );
  }

  /** The `task.progress` event of a step change, when it finishes a model or tool step. */
  private progressOf(
    fence: Fence,
    step: StepIdentity & Pick<StepRow, 'seq' | 'status' | 'note' | 'duration_ms'>,
  ): NewTaskEvent | undefined {
    const data = stepProgress(step);
    if (data === undefined) return undefined;
    return {
      taskId: fence.taskId,
      type: 'task.progress',
      data,
      at: this.clock.now(),
      stepSeq: step.seq,
    };
  }

  /**
   * Updates a step. With the step's identity, an update that finishes a model or tool step
   * also records a `task.progress` event.
   */
  async update(fence: Fence, seq: number, update: StepUpdate, step?: StepIdentity): Promise<void> {
    const values = stepUpdateValues(update);
    const write = this.updateStep(
      values.status,
      values.output,
      values.error,
      values.note,
      values.duration_ms,
      fence.taskId,
      seq,
      fence.leaseToken,
    );
    const updated = await this.writeWithProgress(
      fence,
      write,
      step === undefined ? undefined : { ...step, ...values, seq },
    );
    if (updated === 0) throw new LeaseLostError(fence.taskId);
  }

  async complete(fence: Fence, result: Record<string, unknown>, usage: Usage): Promise<void> {
    const now = this.clock.now();
    await this.writeWithEvent(
      fence,
      this.completeTask(toJson(result), toJson(usage), now, fence.taskId, fence.leaseToken),
      { taskId: fence.taskId, type: 'task.complete', data: result, at: now },
      { status: 'complete', leaseToken: fence.leaseToken },
    );
  }

  async fail(fence: Fence, error: TaskError, usage: Usage): Promise<void> {
    const now = this.clock.now();
    await this.writeWithEvent(
      fence,
      this.failTask(toJson(error), toJson(usage), now, fence.taskId, fence.leaseToken),
      { taskId: fence.taskId, type: 'task.failed', data: { error }, at: now },
      { status: 'failed', leaseToken: fence.leaseToken },
    );
  }

  /**
   * Pauses a running task for outside input (`running → waiting`): the task keeps its journal
   * but holds no worker, and a `task.waiting` event carries `waiting_for`. Throws
   * LeaseLostError when the worker no longer holds the task.
   */
  async wait(fence: Fence, waitingFor: WaitingFor): Promise<void> {
    const now = this.clock.now();
    await this.writeWithEvent(
      fence,
      this.waitTask(toJson(waitingFor), now, fence.taskId, fence.leaseToken),
      { taskId: fence.taskId, type: 'task.waiting', data: waitingFor, at: now },
      { status: 'waiting', leaseToken: fence.leaseToken },
    );
  }

  /**
   * Makes a waiting task runnable again (`waiting → pending`) and wakes the workers; the
   * claim that follows records `task.running`. False when the task was not waiting.
   */
  async resume(taskId: string): Promise<boolean> {
    const resumed = (await this.resumeTask(this.clock.now(), taskId)) > 0;
    if (resumed) this.events.bus.publish('task.enqueued', { taskId });
    return resumed;
  }

  private async writeWithEvent(
    fence: Fence,
    change: CompiledWrite,
    event: NewTaskEvent,
    when: TaskEventCondition,
  ): Promise<void> {
    const [changed = 0, ...recorded] = await this.database.writeCompiledBatch([
      change,
      ...this.events.recorder.record(event, when),
    ]);
    if (changed === 0) throw new LeaseLostError(fence.taskId);
    this.events.recorder.announce(event, recorded);
  }

  /** Writes a step change, with a progress event when it finishes a model or tool step. */
  private async writeWithProgress(
    fence: Fence,
    write: CompiledWrite,
    step: (StepIdentity & Pick<StepRow, 'seq' | 'status' | 'note' | 'duration_ms'>) | undefined,
  ): Promise<number> {
    const event = step === undefined ? undefined : this.progressOf(fence, step);
    if (event === undefined) {
      return this.database.writeCompiled(write.sql, write.parameters);
    }
    const [changed = 0, ...recorded] = await this.database.writeCompiledBatch([
      write,
      ...this.events.recorder.record(event, { status: 'running', leaseToken: fence.leaseToken }),
    ]);
    this.events.recorder.announce(event, recorded);
    return changed;
  }
}
