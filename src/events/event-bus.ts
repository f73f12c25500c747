/** Signals between API and workers: local in embedded mode, Redis pub/sub when scaled out. */
export interface TaskSignal {
  taskId: string;
}

export interface EventBus {
  publish(topic: EventTopic, signal: TaskSignal): void;
  subscribe(topic: EventTopic, listener: (signal: TaskSignal) => void): () => void;
  close(): Promise<void>;
}

/** `task.enqueued`: a task became runnable. `task.cancelled`: abort it wherever it runs. */
export type EventTopic = 'task.enqueued' | 'task.cancelled';
