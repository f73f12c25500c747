export type { EventBus, EventTopic, TaskSignal } from './event-bus.js';
export { createMemoryEventBus } from './memory-event-bus.js';
