import { fromJsonOrNull, type TaskStepsTable } from '../storage/index.js';
import type { Trace, TraceStep } from './trace-schemas.js';

/** Steps in order; `total_duration_ms` is the sum of step durations, as in the spec example. */
export function buildTrace(
  task: { id: string; sub_agent: string; status: string },
  rows: TaskStepsTable[],
): Trace {
  const steps = rows.map((row): TraceStep => {
    const step: TraceStep = {
      tool: row.tool,
      action: row.action,
      status: row.status,
      duration_ms: row.duration_ms,
      started_at: new Date(row.started_at).toISOString(),
    };
    if (row.note !== null) step.note = row.note;
    if (row.attempt > 1) step.attempt = row.attempt;
    const input = fromJsonOrNull<unknown>(row.input);
    const output = fromJsonOrNull<unknown>(row.output);
    const error = fromJsonOrNull<unknown>(row.error);
    if (input !== null) step.input = input;
    if (output !== null) step.output = output;
    if (error !== null) step.error = error;
    return step;
  });
  return {
    task_id: task.id,
    sub_agent: task.sub_agent,
    status: task.status,
    steps,
    total_duration_ms: rows.reduce((sum, row) => sum + (row.duration_ms ?? 0), 0),
  };
}
