import type { Logger } from 'pino';
import type { Clock } from '../clock/index.js';
import type { IdempotencyStore } from '../http/idempotency-store.js';

const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
const INTERVAL_MS = 10 * 60 * 1000;

/** Periodic housekeeping; returns a stop function. */
export function startMaintenance(options: {
  idempotency: IdempotencyStore;
  clock: Clock;
  logger: Logger;
}): () => Promise<void> {
  const run = async () => {
    try {
      const removed = await options.idempotency.deleteOlderThan(
        options.clock.now() - IDEMPOTENCY_RETENTION_MS,
      );
      if (removed > 0) options.logger.debug({ removed }, 'expired idempotency keys removed');
    } catch (error) {
      options.logger.warn({ err: error }, 'maintenance failed');
    }
  };
  const timer = setInterval(() => void run(), INTERVAL_MS);
  timer.unref();
  void run();
  return () => {
    clearInterval(timer);
    return Promise.resolve();
  };
}
