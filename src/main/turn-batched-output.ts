import { pino } from 'pino';

/** A burst larger than this is handed to the writer at once instead of at the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

export interface TurnBatchedOutput {
  write(line: string): void;
  /** Hands over what is pending now (also done at the end of each turn and at exit). */
  flush(callback?: (error?: Error) => void): void;
}

/**
 * Log lines for a file descriptor, gathered over one event-loop turn and handed to the writer
 * together: at full load a turn answers many requests, and one write for all their lines costs
 * a fraction of one each. The writer is sonic-boom in asynchronous mode, as pino's own stdout:
 * one write in flight at a time (lines that come meanwhile join the next), and a full pipe (a
 * slow log reader) is retried on a timer, never by stalling the event loop. At exit, what has
 * not been written yet is written synchronously; as with pino's own destination, a write still
 * in flight when the process is killed may be lost.
 */
export function createTurnBatchedOutput(fd: number): TurnBatchedOutput {
  // Given bytes, sonic-boom writes them as they are (a string it would measure, then encode).
  const destination = pino.destination({ fd, sync: false, contentMode: 'buffer' });
  let pending = '';
  let scheduled = false;

  const handOver = () => {
    scheduled = false;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    // In buffer mode sonic-boom takes a Buffer; its types only name strings.
    destination.write(Buffer.from(lines) as unknown as string);
  };
  process.on('exit', () => {
    handOver();
    try {
      destination.flushSync();
    } catch {
      // Nothing more can be done for the log while the process ends.
    }
  });

  return {
    write(line) {
      pending += line;
      if (pending.length >= MAX_PENDING_CHARS) handOver();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(handOver);
      }
    },
    flush(callback) {
      handOver();
      destination.flush(callback);
    },
  };
}
