import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import type { CompiledWrite } from './compiled-write.js';

const BUSY_WINDOW_MS = 0.25;
const SAVEPOINT = 'cadre_batch';

interface PendingWrite {
  statements: readonly CompiledWrite[];
  resolve: (changes: number[]) => void;
  reject: (error: unknown) => void;
}

export interface SqliteGroupCommit {
  write: (sql: string, parameters: readonly unknown[]) => Promise<number>;
  writeBatch: (statements: readonly CompiledWrite[]) => Promise<number[]>;
}

/**
 * Group commit for SQLite: writes issued close together run in one transaction, and each caller's promise resolves only after that transaction commits.
 * Every write keeps its own outcome: a failing statement rolls back alone (SQLite statements
 * are atomic), and a batch runs inside a savepoint, so it commits whole or not at all. The
 * flush is synchronous, so it never interleaves with other statements on the connection.
 */
export function createSqliteGroupCommit(
  connection: BetterSqlite3.Database,
  statements: SqliteDatabase,
  onCommit: () => void = () => {},
): SqliteGroupCommit {
  let queue: PendingWrite[] = [];
  let lastFlushAt = -Infinity;
  const begin = connection.prepare('BEGIN IMMEDIATE');
  const commit = connection.prepare('COMMIT');
  const rollback = connection.prepare('ROLLBACK');
  const savepoint = connection.prepare(`SAVEPOINT ${SAVEPOINT}`);
  const release = connection.prepare(`RELEASE ${SAVEPOINT}`);
  const rollbackToSavepoint = connection.prepare(`ROLLBACK TO ${SAVEPOINT}`);

  const run = (write: CompiledWrite) =>
    Number(statements.prepare(write.sql).run(write.parameters).changes);

  function runBatch(batch: readonly CompiledWrite[]): number[] {
    savepoint.run();
    try {
      const changes = batch.map(run);
      release.run();
      return changes;
    } catch (error) {
      rollbackToSavepoint.run();
      release.run();
      throw error;
    }
  }

  function flush(): void {
    lastFlushAt = performance.now();
    const pending = queue;
    queue = [];
    const outcomes: ({ changes: number[] } | { error: unknown })[] = [];
    try {
      begin.run();
      for (const write of pending) {
        try {
          outcomes.push({
            changes:
              write.statements.length === 1 && write.statements[0] !== undefined
                ? [run(write.statements[0])]
                : runBatch(write.statements),
          });
        } catch (error) {
          outcomes.push({ error });
        }
      }
      commit.run();
    } catch (error) {
      if (connection.inTransaction) rollback.run();
      for (const write of pending) write.reject(error);
      return;
    }
    onCommit();
    pending.forEach((write, index) => {
      const outcome = outcomes[index];
      if (outcome !== undefined && 'changes' in outcome) write.resolve(outcome.changes);
      else write.reject(outcome?.error);
    });
  }

  function enqueue(batch: readonly CompiledWrite[]): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      if (queue.length === 0) {
        // Adaptive: when writes are sparse, commit as soon as the current work yields (low
        // latency); when they come back to back, gather a whole event-loop turn per commit.
        const isBusy = performance.now() - lastFlushAt < BUSY_WINDOW_MS;
        (isBusy ? setImmediate : queueMicrotask)(flush);
      }
      queue.push({ statements: batch, resolve, reject });
    });
  }

  return {
    write: async (sql, parameters) => (await enqueue([{ sql, parameters }]))[0] ?? 0,
    writeBatch: (batch) => (batch.length === 0 ? Promise.resolve([]) : enqueue(batch)),
  };
}
