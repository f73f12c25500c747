import type { McpClientConnection } from './connect-mcp-client.js';

export interface McpConnectionPool {
  /**
   * Runs `work` on the toolkit's open connection, connecting first when there is none (or the
   * last one closed). Concurrent calls share one connection and one connect.
   */
  run<T>(
    key: string,
    signal: AbortSignal,
    work: (connection: McpClientConnection) => Promise<T>,
  ): Promise<T>;
  /** Closes `connection` if it is still the pooled one, so the next call connects afresh. */
  discard(key: string, connection: McpClientConnection): void;
  /** Closes every connection; calls made afterwards fail with `closedError()`. */
  closeAll(): Promise<void>;
}

interface Entry {
  connecting: Promise<McpClientConnection>;
  connection: McpClientConnection | undefined;
  inFlight: number;
  idleTimer: NodeJS.Timeout | undefined;
}

/**
 * One MCP session per key (a toolkit id), opened on first use, reused by later calls, dropped
 * when the server goes away (the next call reconnects), and closed after `idleMs` without
 * calls so idle stdio servers do not hold processes.
 */
export function createMcpConnectionPool(options: {
  connect: (key: string) => Promise<McpClientConnection>;
  idleMs: number;
  closedError: () => Error;
}): McpConnectionPool {
  const entries = new Map<string, Entry>();
  const closing = new Set<Promise<unknown>>();
  let shutDown = false;

  function closeQuietly(connection: McpClientConnection): void {
    if (connection.closed) return;
    const closed = connection.close().catch(() => undefined);
    closing.add(closed);
    void closed.finally(() => closing.delete(closed));
  }

  function drop(key: string, entry: Entry): void {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    clearTimeout(entry.idleTimer);
    if (entry.connection !== undefined) closeQuietly(entry.connection);
  }

  function scheduleIdleClose(key: string, entry: Entry): void {
    if (entry.inFlight > 0 || entry.connection === undefined) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => drop(key, entry), options.idleMs);
    entry.idleTimer.unref();
  }

  function open(key: string): Entry {
    const entry: Entry = {
      connecting: options.connect(key),
      connection: undefined,
      inFlight: 0,
      idleTimer: undefined,
    };
    entries.set(key, entry);
    entry.connecting.then(
      (connection) => {
        entry.connection = connection;
        // Dropped while connecting (shutdown, or a discard): nobody will use it.
        if (entries.get(key) !== entry) {
          closeQuietly(connection);
          return;
        }
        connection.onClose(() => drop(key, entry));
        scheduleIdleClose(key, entry);
      },
      // A failed connect is not kept: the next call tries again.
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry;
  }

  return {
    async run(key, signal, work) {
      if (shutDown) throw options.closedError();
      let entry = entries.get(key);
      if (entry === undefined || entry.connection?.closed === true) entry = open(key);
      entry.inFlight += 1;
      clearTimeout(entry.idleTimer);
      try {
        const connection = await untilAborted(entry.connecting, signal);
        return await work(connection);
      } finally {
        entry.inFlight -= 1;
        if (entries.get(key) === entry) scheduleIdleClose(key, entry);
      }
    },

    discard(key, connection) {
      const entry = entries.get(key);
      if (entry?.connection === connection) drop(key, entry);
    },

    async closeAll() {
      shutDown = true;
      const pending = [...entries.entries()];
      for (const [key, entry] of pending) drop(key, entry);
      // Connects still under way close their connection as soon as they finish (see `open`).
      await Promise.allSettled(pending.map(([, entry]) => entry.connecting));
      await Promise.allSettled([...closing]);
    },
  };
}

/** `promise`, or the signal's reason as soon as it aborts (the promise keeps running). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
