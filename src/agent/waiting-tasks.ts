import { sql } from 'kysely';
import type { Clock } from '../clock/index.js';
import {
  fromJsonOrNull,
  prepareStatement,
  toJson,
  type CompiledWrite,
  type Database,
} from '../storage/index.js';
import type { TaskError, WaitingFor } from '../tasks/index.js';
import { ASK_USER_ACTION, CADRE_TOOLKIT } from './journal-payloads.js';
import type { TaskJournalEvents } from './task-journal.js';

export type InputOutcome = 'resumed' | 'not_waiting_for_input';

/**
 * The deadline moved by the time waited up to `now`: time spent waiting for the user does not
 * count against the task. A waiting task's `updated_at` is when it began to wait (or when its
 * wait was last banked), so every change that ends or restarts the wait must write this.
 */
const deadlineAfterWaitingUntil = (now: unknown) =>
  sql<number>`deadline_at + (cast(${now} as bigint) - updated_at)`;

/**
 * What happens to a waiting task from outside any worker: the end user answers a question,
 * or their consent fails. Each change is compare-and-swap on the task's `updated_at`, so
 * two answers, or an answer racing a cancel, change the task once.
 */
export class WaitingTasks {
  private readonly completeQuestion: (...args: unknown[]) => CompiledWrite;
  private readonly resumeIfUnchanged: (...args: unknown[]) => CompiledWrite;
  private readonly failIfWaiting: (...args: unknown[]) => CompiledWrite;
  private readonly relinkIfUnchanged: (...args: unknown[]) => CompiledWrite;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly events: TaskJournalEvents,
  ) {
    this.completeQuestion = prepareStatement(database, (db, arg) =>
      db
        .updateTable('task_steps')
        .set({ status: sql.lit('complete'), output: arg(0), note: arg(1), duration_ms: arg(2) })
        .where('task_id', '=', arg(3))
        .where('seq', '=', arg(4))
        .where('status', '=', sql.lit('running'))
        .where((where) =>
          where.exists(
            where
              .selectFrom('tasks')
              .select('tasks.id')
              .where('tasks.id', '=', arg(3))
              .where('tasks.status', '=', sql.lit('waiting'))
              .where('tasks.updated_at', '=', arg(5)),
          ),
        ),
    );
    this.resumeIfUnchanged = prepareStatement(database, (db, arg) =>
      db
        .updateTable('tasks')
        .set({
          status: sql.lit('pending'),
          waiting_for: null,
          run_at: arg(0),
          updated_at: arg(0),
          deadline_at: deadlineAfterWaitingUntil(arg(0)),
        })
        .where('id', '=', arg(1))
        .where('status', '=', sql.lit('waiting'))
        .where('updated_at', '=', arg(2)),
    );
    this.relinkIfUnchanged = prepareStatement(database, (db, arg) =>
      db
        .updateTable('tasks')
        .set({
          waiting_for: arg(0),
          updated_at: arg(1),
          deadline_at: deadlineAfterWaitingUntil(arg(1)),
        })
        .where('id', '=', arg(2))
        .where('status', '=', sql.lit('waiting'))
        .where('updated_at', '=', arg(3)),
    );
    this.failIfWaiting = prepareStatement(database, (db, arg) =>
      db
        .updateTable('tasks')
        .set({
          status: sql.lit('failed'),
          error: arg(0),
          failed_at: arg(1),
          updated_at: arg(1),
          waiting_for: null,
        })
        .where('id', '=', arg(2))
        .where('status', '=', sql.lit('waiting')),
    );
  }

  /** Records the user's answer as the `ask_user` call's result and resumes the task. */
  async provideInput(taskId: string, answer: unknown): Promise<InputOutcome> {
    const task = await this.findWaiting(taskId);
    if (task?.waitingFor.type !== 'input') return 'not_waiting_for_input';
    const question = await this.database.db
      .selectFrom('task_steps')
      .select(['seq', 'started_at', 'note'])
      .where('task_id', '=', taskId)
      .where('tool', '=', CADRE_TOOLKIT)
      .where('action', '=', ASK_USER_ACTION)
      .where('status', '=', 'running')
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    if (question === undefined) return 'not_waiting_for_input';
    const now = this.clock.now();
    const [answered = 0, resumed = 0] = await this.database.writeCompiledBatch([
      this.completeQuestion(
        toJson({ answer }),
        `${question.note ?? 'Asked the user'} — answered`,
        Math.max(0, now - question.started_at),
        taskId,
        question.seq,
        task.updatedAt,
      ),
      this.resumeIfUnchanged(now, taskId, task.updatedAt),
    ]);
    if (answered === 0 || resumed === 0) return 'not_waiting_for_input';
    this.events.bus.publish('task.enqueued', { taskId });
    return 'resumed';
  }

  /**
   * The user connected the account the task waits for: `waiting → pending`, and any worker
   * (in this process or, by polling, another) picks it up where it paused.
   */
  async resumeAfterConsent(taskId: string, toolkit: string): Promise<boolean> {
    const task = await this.findWaiting(taskId);
    const waitingFor = task?.waitingFor;
    if (
      task === undefined ||
      waitingFor?.type !== 'authorization' ||
      waitingFor.service !== toolkit
    ) {
      return false;
    }
    const [resumed = 0] = await this.database.writeCompiledBatch([
      this.resumeIfUnchanged(this.clock.now(), taskId, task.updatedAt),
    ]);
    if (resumed === 0) return false;
    this.events.bus.publish('task.enqueued', { taskId });
    return true;
  }

  /**
   * Gives a task waiting for authorization a fresh consent link (the last one expired, or was
   * opened and abandoned): `newLink` makes it for the service the task waits on. False when
   * the task is not waiting for authorization, or stopped waiting meanwhile.
   */
  async renewAuthorization(
    taskId: string,
    newLink: (service: string) => Promise<string>,
  ): Promise<boolean> {
    const task = await this.findWaiting(taskId);
    if (task?.waitingFor.type !== 'authorization') return false;
    const waitingFor: WaitingFor = {
      ...task.waitingFor,
      auth_url: await newLink(task.waitingFor.service),
    };
    const [renewed = 0] = await this.database.writeCompiledBatch([
      this.relinkIfUnchanged(toJson(waitingFor), this.clock.now(), taskId, task.updatedAt),
    ]);
    return renewed > 0;
  }

  /** The task, if it is waiting: what for, and the `updated_at` its changes swap on. */
  private async findWaiting(
    taskId: string,
  ): Promise<{ waitingFor: WaitingFor; updatedAt: number } | undefined> {
    const task = await this.database.db
      .selectFrom('tasks')
      .select(['status', 'waiting_for', 'updated_at'])
      .where('id', '=', taskId)
      .executeTakeFirst();
    const waitingFor = fromJsonOrNull<WaitingFor>(task?.waiting_for ?? null);
    if (task?.status !== 'waiting' || waitingFor === null) return undefined;
    return { waitingFor, updatedAt: task.updated_at };
  }

  /** Fails a waiting task (consent denied, or the provider failed), with its event. */
  async fail(taskId: string, error: TaskError): Promise<boolean> {
    const now = this.clock.now();
    const event = { taskId, type: 'task.failed' as const, data: { error }, at: now };
    const [changed = 0, ...recorded] = await this.database.writeCompiledBatch([
      this.failIfWaiting(toJson(error), now, taskId),
      ...this.events.recorder.record(event, { status: 'failed', updatedAt: now }),
    ]);
    this.events.recorder.announce(event, recorded);
    return changed > 0;
  }
}
