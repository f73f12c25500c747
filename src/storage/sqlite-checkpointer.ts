import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's own default: the writer checkpoints when the WAL holds this many pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;
/**
 * While the checkpointer runs, the writer checkpoints only past this many pages (40 MB at
 * 4 KiB pages): far more than the checkpointer ever leaves, so only if it falls behind.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
/** After a commit, the checkpointer waits this long to copy the commits that follow with it. */
const GATHER_MS = 50;
/** Without a commit signal (writes of other processes or outside the group commit), it looks this often. */
const IDLE_CHECK_MS = 1_000;

// Slots of the shared signal: commits counted by the writer, and the stop flag.
const COMMITS = 0;
const STOP = 1;

// The thread's whole program: plain JavaScript, so it runs the same from source and compiled.
// Atomics.wait blocks only this thread; a PASSIVE checkpoint never blocks readers or the
// writer, and a busy checkpoint lock (another process's checkpointer) just skips a round.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const signal = new Int32Array(workerData.signal);
const connection = new Database(workerData.file, { fileMustExist: true });
connection.pragma('busy_timeout = 0');
const checkpoint = connection.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let seen = Atomics.load(signal, ${COMMITS});
while (Atomics.load(signal, ${STOP}) === 0) {
  Atomics.wait(signal, ${COMMITS}, seen, ${IDLE_CHECK_MS});
  Atomics.wait(signal, ${STOP}, 0, ${GATHER_MS});
  seen = Atomics.load(signal, ${COMMITS});
  try {
    checkpoint.get();
  } catch (error) {
    if (error.code !== 'SQLITE_BUSY' && error.code !== 'SQLITE_LOCKED') throw error;
  }
}
connection.close();
`;

export interface SqliteCheckpointer {
  /** Tells the checkpointer the writer committed: an atomic add, no message. */
  committed(): void;
  /** Ends the thread after its current checkpoint; the writer checkpoints itself again. */
  stop(): Promise<void>;
}

/**
 * Copies committed WAL pages into the database file on a thread of its own, so that the
 * writer's commits never wait for a checkpoint's writes and fsyncs on the event loop. If the
 * thread fails, the writer goes back to checkpointing itself, as SQLite does by default.
 */
export function startSqliteCheckpointer(
  writer: BetterSqlite3.Database,
  file: string,
): SqliteCheckpointer {
  const signal = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      file,
      signal: signal.buffer,
      driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
    },
  });
  // The thread never keeps the process alive; the last connection's close checkpoints anyway.
  worker.unref();
  writer.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const restoreWriterCheckpoints = () => {
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      restoreWriterCheckpoints();
      resolve();
    });
  });
  // A failing thread (say, the file became unreadable) must not take the process with it:
  // the writer's own checkpoints take over and meet the same error where it is handled.
  worker.on('error', restoreWriterCheckpoints);

  return {
    committed() {
      Atomics.add(signal, COMMITS, 1);
      Atomics.notify(signal, COMMITS);
    },
    async stop() {
      // Held until the thread has ended: an unreferenced thread's exit would not keep the
      // process alive, and whatever awaits `stop` (a CLI command's exit code) would be lost.
      worker.ref();
      Atomics.store(signal, STOP, 1);
      Atomics.notify(signal, COMMITS);
      Atomics.notify(signal, STOP);
      await exited;
    },
  };
}
