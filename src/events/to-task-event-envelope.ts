import { toIsoSeconds } from '../clock/index.js';
import type { TaskEventEnvelope } from './task-event-types.js';

/** Ploton's webhook envelope for a stored event; `data` is the stored JSON text, parsed. */
export function toTaskEventEnvelope(event: {
  type: string;
  task_id: string;
  created_at: number;
  data: string;
}): TaskEventEnvelope {
  return {
    event: event.type,
    task_id: event.task_id,
    timestamp: toIsoSeconds(event.created_at),
    data: JSON.parse(event.data) as unknown,
  };
}
