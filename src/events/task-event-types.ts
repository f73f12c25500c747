/**
 * What Cadre reports about a task. Ploton's four (`task.complete`, `task.failed`,
 * `task.progress`, `task.waiting`), plus `task.cancelled` and `task.running` (a task left
 * `pending`; streamed over SSE, and sent by webhook only to endpoints that ask for it).
 */
export const TASK_EVENT_TYPES = [
  'task.running',
  'task.progress',
  'task.waiting',
  'task.complete',
  'task.failed',
  'task.cancelled',
] as const;

export type TaskEventType = (typeof TASK_EVENT_TYPES)[number];

/** Events after which nothing more happens to the task; a stream closes after one. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set<TaskEventType>([
  'task.complete',
  'task.failed',
  'task.cancelled',
]);

/** What a webhook endpoint receives when it does not choose: Ploton's events and cancel. */
export const DEFAULT_WEBHOOK_EVENT_TYPES: readonly TaskEventType[] = [
  'task.complete',
  'task.failed',
  'task.progress',
  'task.waiting',
  'task.cancelled',
];

/** A finished model or tool step, as progress events describe it. */
export interface StepSummary {
  seq: number;
  tool: string;
  action: string;
  status: string;
  duration_ms: number | null;
  note: string | null;
}

/** `task.progress` data: the latest step's description and the steps it covers. */
export interface ProgressData {
  message: string;
  steps: StepSummary[];
}

/** The body of every webhook and the `data` of every SSE message: Ploton's envelope. */
export interface TaskEventEnvelope {
  event: string;
  task_id: string;
  timestamp: string;
  data: unknown;
}
