import { toIsoSeconds } from '../clock/index.js';
import { fromJson } from '../storage/index.js';
import type { TaskError, TaskObject, Usage, WaitingFor } from './task-schemas.js';
import type { TaskObjectRow, TaskSummaryRow } from './task-store.js';

// Objects are built field by field in their final key order (the spec's examples end with
// `metadata`), with no copies: GET /v1/tasks/:id is the polling hot path.

/** The list item: no prompt, result or error (GET one has them). */
export function toTaskSummary(row: TaskSummaryRow): TaskObject {
  return Object.assign(withTimestamps(row), {
    metadata: fromJson<Record<string, unknown>>(row.metadata),
  });
}

export function toTaskObject(row: TaskObjectRow): TaskObject {
  const object = withTimestamps(row);
  object.prompt = row.prompt;
  if (row.result !== null) object.result = fromJson<Record<string, unknown>>(row.result);
  if (row.error !== null) object.error = fromJson<TaskError>(row.error);
  if (row.waiting_for !== null && row.status === 'waiting') {
    object.waiting_for = fromJson<WaitingFor>(row.waiting_for);
  }
  if (row.usage !== null) object.usage = fromJson<Usage>(row.usage);
  return Object.assign(object, { metadata: fromJson<Record<string, unknown>>(row.metadata) });
}

function withTimestamps(row: TaskSummaryRow): Omit<TaskObject, 'metadata'> {
  const object: Omit<TaskObject, 'metadata'> = {
    id: row.id,
    status: row.status,
    sub_agent: row.sub_agent,
    user_id: row.user_id,
    mode: row.mode,
    created_at: toIsoSeconds(row.created_at),
  };
  if (row.started_at !== null) object.started_at = toIsoSeconds(row.started_at);
  if (row.completed_at !== null) object.completed_at = toIsoSeconds(row.completed_at);
  if (row.failed_at !== null) object.failed_at = toIsoSeconds(row.failed_at);
  if (row.cancelled_at !== null) object.cancelled_at = toIsoSeconds(row.cancelled_at);
  return object;
}
