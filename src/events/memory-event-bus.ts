import { EventEmitter } from 'node:events';
import type { EventBus } from './event-bus.js';

export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(topic, signal) {
      emitter.emit(topic, signal);
    },
    subscribe(topic, listener) {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
    close: () => Promise.resolve(),
  };
}
