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
  constructor(
    private readonly journal: TaskJournal,
    readonly fence: Fence,
    readonly steps: StepRow[],
  ) {}

  /** Appends a step after the last one; returns its sequence number. */
  async append(step: NewStep): Promise<number> {
    const seq = (this.steps.at(-1)?.seq ?? 0) + 1;
    this.steps.push(await this.journal.append(this.fence, seq, step));
    return seq;
  }

  /** The row the next `append` of this step would write (nothing is written). */
  draft(step: NewStep): StepRow {
    return this.journal.draft(this.fence, (this.steps.at(-1)?.seq ?? 0) + 1, step);
  }

  /** Appends a drafted step. */
  async appendDraft(row: StepRow): Promise<void> {
    this.steps.push(await this.journal.appendRow(this.fence, row));
  }

  /** Writes a drafted final step and completes the task, in one commit. */
  async appendAndComplete(
    row: StepRow,
    result: Record<string, unknown>,
    usage: Usage,
  ): Promise<void> {
    await this.journal.appendAndComplete(this.fence, row, result, usage);
    this.steps.push(row);
  }

  async update(seq: number, update: StepUpdate): Promise<void> {
    const row = this.steps.find((step) => step.seq === seq);
    await this.journal.update(this.fence, seq, update, row);
    if (row !== undefined) Object.assign(row, stepUpdateValues(update));
  }

  complete(result: Record<string, unknown>, usage: Usage): Promise<void> {
    return this.journal.complete(this.fence, result, usage);
  }

  fail(error: TaskError, usage: Usage): Promise<void> {
    return this.journal.fail(this.fence, error, usage);
  }
}
