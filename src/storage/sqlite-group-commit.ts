import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

const BUSY_WINDOW_MS = 0.25;

interface PendingWrite {
  sql: string;
  parameters: readonly unknown[];
  resolve: (changes: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: writes issued close together run in one transaction, and each caller's promise resolves only after that transaction commits.
 * Every statement keeps its own outcome (a failing statement rolls back alone). The flush is
 * synchronous, so it never interleaves with other statements on the connection.
 */
export function createSqliteGroupCommit(
  connection: BetterSqlite3.Database,
  statements: SqliteDatabase,
): (sql: string, parameters: readonly unknown[]) => Promise<number> {
  let queue: PendingWrite[] = [];
  let lastFlushAt = -Infinity;
  const begin = connection.prepare('BEGIN IMMEDIATE');
  const commit = connection.prepare('COMMIT');
  const rollback = connection.prepare('ROLLBACK');

  function flush(): void {
    lastFlushAt = performance.now();
    const batch = queue;
    queue = [];
    const outcomes: ({ changes: number } | { error: unknown })[] = [];
    try {
      begin.run();
      for (const write of batch) {
        try {
          outcomes.push({
            changes: Number(statements.prepare(write.sql).run(write.parameters).changes),
          });
        } catch (error) {
          outcomes.push({ error });
        }
      }
      commit.run();
    } catch (error) {
      if (connection.inTransaction) rollback.run();
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome !== undefined && 'changes' in outcome) write.resolve(outcome.changes);
      else write.reject(outcome?.error);
    });
  }

  return (sql, parameters) =>
    new Promise<number>((resolve, reject) => {
      if (queue.length === 0) {
        // Adaptive: when writes are sparse, commit as soon as the current work yields (low
        // latency); when they come back to back, gather a whole event-loop turn per commit.
        const isBusy = performance.now() - lastFlushAt < BUSY_WINDOW_MS;
        (isBusy ? setImmediate : queueMicrotask)(flush);
      }
      queue.push({ sql, parameters, resolve, reject });
    });
}
