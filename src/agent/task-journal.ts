import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.js';
import type { Database, DatabaseSchema, TaskStepsTable } from '../storage/index.js';
import { toJson } from '../storage/index.js';
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

/**
 * The durable step journal. Each write commits before the runner moves on, and only while
 * the writer still holds the task's lease (status running, same fencing token): a worker that
 * lost the task — cancelled, or taken over after a crash — cannot write another byte.
 */
export class TaskJournal {
  private readonly db: Kysely<DatabaseSchema>;
  private readonly lockRows: boolean;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
    // PostgreSQL runs writers concurrently: lock the task row so a cancel cannot commit
    // between the ownership check and the step insert. SQLite has a single writer.
    this.lockRows = database.dialect === 'postgres';
  }

  loadSteps(taskId: string): Promise<StepRow[]> {
    return this.db
      .selectFrom('task_steps')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('seq', 'asc')
      .execute();
  }

  /** Appends a step; returns its sequence number. */
  async append(fence: Fence, nextSeq: number, step: NewStep): Promise<number> {
    await this.db.transaction().execute(async (trx) => {
      await this.assertOwned(trx, fence);
      await trx
        .insertInto('task_steps')
        .values({
          task_id: fence.taskId,
          seq: nextSeq,
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
        })
        .execute();
    });
    return nextSeq;
  }

  async update(fence: Fence, seq: number, update: StepUpdate): Promise<void> {
    const result = await this.db
      .updateTable('task_steps')
      .set({
        status: update.status,
        output: jsonOrNull(update.output),
        error: jsonOrNull(update.error),
        note: update.note ?? null,
        duration_ms: update.durationMs,
      })
      .where('task_id', '=', fence.taskId)
      .where('seq', '=', seq)
      .where((where) =>
        where.exists(
          where
            .selectFrom('tasks')
            .select('tasks.id')
            .where('tasks.id', '=', fence.taskId)
            .where('tasks.lease_token', '=', fence.leaseToken)
            .where('tasks.status', '=', 'running'),
        ),
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LeaseLostError(fence.taskId);
  }

  async complete(fence: Fence, result: Record<string, unknown>, usage: Usage): Promise<void> {
    const now = this.clock.now();
    await this.finish(fence, {
      status: 'complete',
      result: toJson(result),
      usage: toJson(usage),
      completed_at: now,
      updated_at: now,
    });
  }

  async fail(fence: Fence, error: TaskError, usage: Usage): Promise<void> {
    const now = this.clock.now();
    await this.finish(fence, {
      status: 'failed',
      error: toJson(error),
      usage: toJson(usage),
      failed_at: now,
      updated_at: now,
    });
  }

  private async finish(
    fence: Fence,
    values: Partial<Record<keyof DatabaseSchema['tasks'], unknown>>,
  ): Promise<void> {
    const result = await this.db
      .updateTable('tasks')
      .set({ ...values, lease_owner: null, lease_expires_at: null } as never)
      .where('id', '=', fence.taskId)
      .where('lease_token', '=', fence.leaseToken)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LeaseLostError(fence.taskId);
  }

  private async assertOwned(trx: Kysely<DatabaseSchema>, fence: Fence): Promise<void> {
    const owned = await trx
      .selectFrom('tasks')
      .select('id')
      .where('id', '=', fence.taskId)
      .where('lease_token', '=', fence.leaseToken)
      .where('status', '=', 'running')
      .$if(this.lockRows, (query) => query.forUpdate())
      .executeTakeFirst();
    if (owned === undefined) throw new LeaseLostError(fence.taskId);
  }
}
