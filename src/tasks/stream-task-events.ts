import type { ServerResponse } from 'node:http';
import {
  TERMINAL_EVENT_TYPES,
  toTaskEventEnvelope,
  type EventBus,
  type TaskEventLog,
  type TaskEventRow,
} from '../events/index.js';

export interface TaskEventStreamOptions {
  log: TaskEventLog;
  bus: EventBus;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Re-read the log this often even without a wake-up (events from other processes). */
  pollIntervalMs: number;
}

const BATCH = 100;
const RECONNECT_DELAY_MS = 2_000;

/**
 * Writes one task's events to an open `text/event-stream` response: those after `afterSeq`
 * from the log, then each new one as it commits, until the terminal event (or the client
 * leaves). Every message carries the event id, so a client that reconnects with
 * `Last-Event-ID` resumes where it stopped. The log is the source of truth; the bus only
 * says when to look, so events written by another process arrive too (by the poll).
 */
export async function streamTaskEvents(
  response: ServerResponse,
  task: { id: string; isTerminal: boolean },
  afterSeq: number,
  options: TaskEventStreamOptions,
  /** Ends the stream early (server shutdown); the client reconnects with Last-Event-ID. */
  stop: AbortSignal,
): Promise<void> {
  let closed = false;
  let dirty = false;
  let wakeUp: (() => void) | undefined;
  const signal = () => {
    dirty = true;
    const resolve = wakeUp;
    wakeUp = undefined;
    resolve?.();
  };
  const unsubscribe = options.bus.subscribe('task.event', ({ taskId }) => {
    if (taskId === task.id) signal();
  });
  const poll = setInterval(signal, options.pollIntervalMs);
  const heartbeat = setInterval(() => {
    if (!closed) response.write(': keep-alive\n\n');
  }, options.heartbeatMs);
  const end = () => {
    closed = true;
    signal();
  };
  response.on('close', end);
  stop.addEventListener('abort', end, { once: true });
  if (stop.aborted) end();

  try {
    response.write(`retry: ${RECONNECT_DELAY_MS}\n\n`);
    let cursor = afterSeq;
    let sawTerminal = false;
    let firstRead = true;
    while (!closed && !sawTerminal) {
      dirty = false;
      const events = await options.log.readAfter(task.id, cursor, BATCH);
      for (const event of events) {
        await write(response, formatMessage(event));
        cursor = event.seq;
        if (TERMINAL_EVENT_TYPES.has(event.type)) sawTerminal = true;
      }
      // A task that ended before Cadre kept events has nothing more to say.
      if (firstRead && task.isTerminal && events.length < BATCH && !sawTerminal) break;
      firstRead = false;
      if (sawTerminal || events.length === BATCH || dirty) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
      });
    }
  } finally {
    unsubscribe();
    clearInterval(poll);
    clearInterval(heartbeat);
    stop.removeEventListener('abort', end);
    if (!response.writableEnded) response.end();
  }
}

/** One SSE message: the event id (for Last-Event-ID), its type, and Ploton's envelope. */
function formatMessage(event: TaskEventRow): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(toTaskEventEnvelope(event))}\n\n`;
}

/** Writes, waiting for the socket to drain when the client reads slower than events come. */
async function write(response: ServerResponse, chunk: string): Promise<void> {
  if (response.destroyed) return;
  if (response.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
