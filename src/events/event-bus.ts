/** Signals between API and workers: local in embedded mode, Redis pub/sub when scaled out. */
export interface TaskSignal {
  taskId: string;
}

export interface EventBus {
  publish(topic: EventTopic, signal: TaskSignal): void;
  subscribe(topic: EventTopic, listener: (signal: TaskSignal) => void): () => void;
  close(): Promise<void>;
}

/**
 * `task.enqueued`: a task became runnable. `task.cancelled`: abort it wherever it runs.
 * `task.event`: a task event was committed to the event log. `webhook.due`: a webhook
 * delivery was queued that is due now. The last two are wake-ups only: readers re-read the
 * database, so a missed signal costs latency, never an event.
 */
export type EventTopic = 'task.enqueued' | 'task.cancelled' | 'task.event' | 'webhook.due';
