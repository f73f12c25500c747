import { toIsoSeconds } from '../clock/index.js';
import { fromJson, fromJsonOrNull } from '../storage/index.js';
import type { TaskError, TaskObject, Usage, WaitingFor } from './task-schemas.js';
import type { TaskRow, TaskSummaryRow } from './task-store.js';

/** The list item: no prompt, result or error (GET one has them). */
export function toTaskSummary(row: TaskSummaryRow): TaskObject {
  const object: TaskObject = {
    id: row.id,
    status: row.status,
    sub_agent: row.sub_agent,
    user_id: row.user_id,
    mode: row.mode,
    created_at: toIsoSeconds(row.created_at),
    metadata: fromJson<Record<string, unknown>>(row.metadata),
  };
  if (row.started_at !== null) object.started_at = toIsoSeconds(row.started_at);
  if (row.completed_at !== null) object.completed_at = toIsoSeconds(row.completed_at);
  if (row.failed_at !== null) object.failed_at = toIsoSeconds(row.failed_at);
  if (row.cancelled_at !== null) object.cancelled_at = toIsoSeconds(row.cancelled_at);
  return withMetadataLast(object);
}

/** The spec's examples end with `metadata`; keep that order for readability. */
function withMetadataLast(object: TaskObject): TaskObject {
  const { metadata, ...rest } = object;
  return { ...rest, metadata };
}

export function toTaskObject(row: TaskRow): TaskObject {
  const object = toTaskSummary(row);
  object.prompt = row.prompt;
  const result = fromJsonOrNull<Record<string, unknown>>(row.result);
  const error = fromJsonOrNull<TaskError>(row.error);
  const waitingFor = fromJsonOrNull<WaitingFor>(row.waiting_for);
  const usage = fromJsonOrNull<Usage>(row.usage);
  if (result !== null) object.result = result;
  if (error !== null) object.error = error;
  if (waitingFor !== null && row.status === 'waiting') object.waiting_for = waitingFor;
  if (usage !== null) object.usage = usage;
  return withMetadataLast(object);
}
