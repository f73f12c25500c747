/** A burst larger than this is handed to the stream at once instead of at the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

export interface TurnBatchedOutput {
  write(line: string): void;
  /** Hands over what is pending now (also done at the end of each turn and at exit). */
  flush(callback?: (error?: Error | null) => void): void;
}

/**
 * Log lines gathered over one event-loop turn and written to `out` together: at full load a
 * turn answers many requests, and one write for all their lines costs a fraction of one each.
 *
 * `out` is normally `process.stdout`, which writes the way its target needs: a file
 * synchronously (the lines of a finished turn are in the kernel), a pipe without ever waiting
 * (libuv writes at once when the pipe has room and queues otherwise, so a slow log reader
 * does not stall the server). What is pending is also handed over at exit. If the stream
 * fails (its reader went away), later lines are dropped rather than crash the process.
 */
export function createTurnBatchedOutput(out: NodeJS.WritableStream): TurnBatchedOutput {
  let pending = '';
  let scheduled = false;
  let broken = false;

  const handOver = () => {
    scheduled = false;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    if (!broken) out.write(Buffer.from(lines));
  };
  out.on('error', () => {
    broken = true;
  });
  process.on('exit', handOver);

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
      if (callback === undefined) return;
      // Written once the stream has taken everything handed to it so far.
      if (broken) callback();
      else out.write('', () => callback());
    },
  };
}
