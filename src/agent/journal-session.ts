import type { TaskError, Usage } from '../tasks/index.js';
import {
  stepUpdateValues,
  type Fence,
  type NewStep,
  type StepRow,
  type StepUpdate,
  type TaskJournal,
} from './task-journal.js';

/**
 * One worker's hold on one task's journal: writes go to the database (fenced) and the same
 * rows are kept in memory, so the runner never reads back what it just wrote.
 */
export class JournalSession {
  /** The last write made without waiting (`appendWithoutWaiting`), not yet awaited. */
  private unconfirmed: Promise<unknown> | undefined;

  constructor(
    private readonly journal: TaskJournal,
    readonly fence: Fence,
    readonly steps: StepRow[],
  ) {}

  /** Appends a step after the last one; returns its sequence number. */
  async append(step: NewStep): Promise<number> {
    const seq = (this.steps.at(-1)?.seq ?? 0) + 1;
    this.steps.push(await this.confirmed(() => this.journal.append(this.fence, seq, step)));
    return seq;
  }

  /**
   * Appends a step that nothing waits for (the tools offered, before the first model call)
   * without waiting for its commit: the model call runs meanwhile. The next write starts only
   * once this one has committed (PostgreSQL's pool would not keep two writes in order), and
   * fails with its error instead if it failed, so the journal never has a gap.
   */
  appendWithoutWaiting(step: NewStep): void {
    const row = this.draft(step);
    this.steps.push(row);
    const write = Promise.resolve(this.unconfirmed).then(() =>
      this.journal.appendRow(this.fence, row),
    );
    // Observed by the next write; until then a failure must not count as unhandled.
    write.catch(() => undefined);
    this.unconfirmed = write;
  }

  /**
   * Waits for a write made without waiting, if one is pending, for a path that ends the task
   * outside this session; returns its failure instead of throwing it.
   */
  async settlePending(): Promise<unknown> {
    const unconfirmed = this.unconfirmed;
    this.unconfirmed = undefined;
    return unconfirmed?.then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  /** Runs a write once every write made without waiting has committed. */
  private async confirmed<T>(write: () => Promise<T>): Promise<T> {
    const unconfirmed = this.unconfirmed;
    this.unconfirmed = undefined;
    await unconfirmed;
    return write();
  }

  /** The row the next `append` of this step would write (nothing is written). */
  draft(step: NewStep): StepRow {
    return this.journal.draft(this.fence, (this.steps.at(-1)?.seq ?? 0) + 1, step);
  }

  /** Appends a drafted step. */
  async appendDraft(row: StepRow): Promise<void> {
    this.steps.push(await this.confirmed(() => this.journal.appendRow(this.fence, row)));
  }

  /** Writes a drafted final step and completes the task, in one commit. */
  async appendAndComplete(
    row: StepRow,
    result: Record<string, unknown>,
    usage: Usage,
  ): Promise<void> {
    await this.confirmed(() => this.journal.appendAndComplete(this.fence, row, result, usage));
    this.steps.push(row);
  }

  async update(seq: number, update: StepUpdate): Promise<void> {
    const row = this.steps.find((step) => step.seq === seq);
    await this.confirmed(() => this.journal.update(this.fence, seq, update, row));
    if (row !== undefined) Object.assign(row, stepUpdateValues(update));
  }

  complete(result: Record<string, unknown>, usage: Usage): Promise<void> {
    return this.confirmed(() => this.journal.complete(this.fence, result, usage));
  }

  fail(error: TaskError, usage: Usage): Promise<void> {
    return this.confirmed(() => this.journal.fail(this.fence, error, usage));
  }
}
