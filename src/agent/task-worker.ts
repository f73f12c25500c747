import type { Logger } from 'pino';
import type { EventBus } from '../events/index.js';
import { newId } from '../ids/index.js';
import type { ClaimedTask, TaskQueue } from '../queue/index.js';
import { StopReason, type StopKind } from './abort-reason.js';
import type { TaskRunner } from './task-runner.js';

export interface TaskWorkerOptions {
  queue: TaskQueue;
  runner: TaskRunner;
  events: EventBus;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  /** How often to look for work when no wake-up signal arrives. */
  pollIntervalMs?: number;
  /**
   * How often to extend leases and reconcile with the database, which also catches
   * cancellations made by other processes. At most a third of the lease.
   */
  heartbeatIntervalMs?: number;
}

interface Running {
  claim: ClaimedTask;
  controller: AbortController;
  /** Launch order, so a heartbeat only judges tasks claimed before it queried. */
  launchSeq: number;
  done: Promise<void>;
}

/**
 * Claims tasks up to its concurrency and runs each with an AbortController. Leases are
 * extended in one statement for all of a worker's tasks; a task that is cancelled (locally via
 * the event bus, or found by reconciling with the database) is aborted at once.
 */
export class TaskWorker {
  readonly owner = newId('wrk', 12);
  private readonly running = new Map<string, Running>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribes: (() => void)[] = [];
  private launches = 0;
  private polling = false;
  private pollAgain = false;
  private stopped = false;

  constructor(private readonly options: TaskWorkerOptions) {}

  start(): void {
    const { events } = this.options;
    this.unsubscribes.push(events.subscribe('task.enqueued', () => this.wake()));
    this.unsubscribes.push(
      events.subscribe('task.cancelled', ({ taskId }) => this.abort(taskId, 'cancelled')),
    );
    const every = (ms: number, action: () => Promise<void>) => {
      const timer = setInterval(() => void action(), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.pollIntervalMs ?? 500, () => this.poll());
    every(
      this.options.heartbeatIntervalMs ?? Math.min(1_000, Math.floor(this.options.leaseMs / 3)),
      () => this.heartbeat(),
    );
    this.wake();
  }

  /** Tasks this worker is running right now. */
  get inFlight(): number {
    return this.running.size;
  }

  wake(): void {
    void this.poll();
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    const pending = [...this.running.values()];
    for (const task of pending) task.controller.abort(new StopReason('shutdown'));
    await Promise.allSettled(pending.map((task) => task.done));
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        const free = this.options.concurrency - this.running.size;
        if (free <= 0) break;
        const claims = await this.options.queue.claim(this.owner, free);
        for (const claim of claims) this.launch(claim);
        if (claims.length === free) this.pollAgain = true;
      } while (this.pollAgain && !this.stopped);
    } catch (error) {
      this.options.logger.error({ err: error }, 'claiming tasks failed');
    } finally {
      this.polling = false;
    }
  }

  private launch(claim: ClaimedTask): void {
    const controller = new AbortController();
    this.launches += 1;
    const entry: Running = { claim, controller, launchSeq: this.launches, done: Promise.resolve() };
    this.running.set(claim.id, entry);
    entry.done = this.options.runner
      .run(claim, controller.signal)
      .then(
        async (outcome) => {
          if (outcome === 'shutdown') {
            await this.options.queue.release(this.owner, claim.id, claim.leaseToken);
          }
        },
        (error: unknown) => {
          this.options.logger.error({ err: error, taskId: claim.id }, 'task run crashed');
        },
      )
      .finally(() => {
        this.running.delete(claim.id);
        if (!this.stopped) this.wake();
      });
  }

  private abort(taskId: string, kind: StopKind): void {
    const entry = this.running.get(taskId);
    if (entry !== undefined && !entry.controller.signal.aborted) {
      entry.controller.abort(new StopReason(kind));
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.running.size === 0) return;
    const launchedBefore = this.launches;
    try {
      const owned = await this.options.queue.heartbeat(this.owner);
      for (const [taskId, entry] of this.running) {
        // Cancelled, or taken over by another worker: stop working on it.
        if (entry.launchSeq <= launchedBefore && !owned.has(taskId))
          this.abort(taskId, 'cancelled');
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'lease heartbeat failed');
    }
  }
}
