import { pino } from 'pino';

/** A burst larger than this is written at once instead of at the end of the turn. */
const MAX_PENDING_CHARS = 64 * 1024;

export interface TurnBatchedOutput {
  write(line: string): void;
  /** Writes what is pending now (also done at the end of each turn and at exit). */
  flush(): void;
}

/**
 * Log lines for a file descriptor, written together once per event-loop turn: at full load a
 * turn answers many requests, and one write system call for all their lines costs a fraction
 * of one each. The write itself is synchronous (as Node writes stdout to files and pipes on
 * Linux), so once a turn ends its lines are in the kernel; at most the lines of the current
 * turn are lost if the process is killed. They are also written at exit.
 */
export function createTurnBatchedOutput(fd: number): TurnBatchedOutput {
  // sonic-boom in sync mode: retries partial writes and EAGAIN on a non-blocking pipe. Given
  // bytes, it writes them as they are (a string it would measure and then encode again).
  const destination = pino.destination({ fd, sync: true, contentMode: 'buffer' });
  let pending = '';
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    // In buffer mode sonic-boom takes a Buffer; its types only name strings.
    destination.write(Buffer.from(lines) as unknown as string);
  };
  process.on('exit', flush);

  return {
    write(line) {
      pending += line;
      if (pending.length >= MAX_PENDING_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
