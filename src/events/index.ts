export type { EventBus, EventTopic, TaskSignal } from './event-bus.js';
export { createMemoryEventBus } from './memory-event-bus.js';
export {
  TASK_EVENT_TYPES,
  TERMINAL_EVENT_TYPES,
  DEFAULT_WEBHOOK_EVENT_TYPES,
  type TaskEventType,
  type StepSummary,
  type ProgressData,
  type TaskEventEnvelope,
} from './task-event-types.js';
export {
  createTaskEventRecorder,
  type TaskEventRecorder,
  type TaskEventRecorderOptions,
  type NewTaskEvent,
  type TaskEventCondition,
} from './create-task-event-recorder.js';
export {
  createTaskEventLog,
  type TaskEventLog,
  type TaskEventRow,
} from './create-task-event-log.js';
export { toTaskEventEnvelope } from './to-task-event-envelope.js';
