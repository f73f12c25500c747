import { sql } from 'kysely';
import type { Clock } from '../clock/index.js';
import type { TaskEventRecorder } from '../events/index.js';
import {
  prepareRead,
  prepareStatement,
  type CompiledWrite,
  type Database,
} from '../storage/index.js';
import type { ClaimedTask, TaskQueue } from './task-queue.js';

const MAX_CLAIM_BATCH = 200;

/** The tasks table as a queue: dialect-neutral SQL, plus SKIP LOCKED on PostgreSQL. */
export function createTableTaskQueue(options: {
  database: Database;
  clock: Clock;
  leaseMs: number;
  /** Records `task.running` with each claim of a pending task. */
  recorder: TaskEventRecorder;
}): TaskQueue {
  const { database, clock, leaseMs, recorder } = options;
  const { db } = database;
  // Compare-and-set on the fencing token read with the candidate: of several claimers, only
  // the one whose token still matches moves the task to running.
  const claimPending = prepareStatement(database, (db, arg) =>
    db
      .updateTable('tasks')
      .set((set) => ({
        status: sql.lit('running'),
        lease_owner: arg(0),
        lease_token: arg(1),
        lease_expires_at: arg(2),
        started_at: set.fn.coalesce('started_at', set.val(arg(3))),
        attempts: set('attempts', '+', 1),
        updated_at: arg(3),
      }))
      .where('id', '=', arg(4))
      .where('status', '=', sql.lit('pending'))
      .where('lease_token', '=', arg(5)),
  );

  // Every wake-up of a worker looks for pending tasks: compiled once.
  const selectPending = prepareRead(database, (db, arg) => {
    const candidates = db
      .selectFrom('tasks')
      .select(['id', 'lease_token', 'attempts'])
      // A literal status, so the planner can use the partial index (it names the status).
      .where('status', '=', sql.lit('pending'))
      .where('run_at', '<=', arg(0))
      .orderBy('run_at')
      .limit(sql<number>`cast(${arg(1)} as integer)`);
    return database.dialect === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
  });

  /** Claims pending tasks, each in the same unit as its `task.running` event. */
  async function claimPendingTasks(owner: string, max: number): Promise<ClaimedTask[]> {
    const now = clock.now();
    // One lock order for every claimer, so concurrent claims on PostgreSQL cannot deadlock.
    const rows = (await selectPending(now, max)).sort((left, right) =>
      left.id < right.id ? -1 : 1,
    );
    if (rows.length === 0) return [];
    const writes: CompiledWrite[][] = rows.map((row) => {
      const leaseToken = row.lease_token + 1;
      return [
        claimPending(owner, leaseToken, now + leaseMs, now, row.id, row.lease_token),
        ...recorder.record(
          { taskId: row.id, type: 'task.running', data: {}, at: now },
          { status: 'running', leaseToken },
        ),
      ];
    });
    const changes = await database.writeCompiledBatch(writes.flat());
    const claimed: ClaimedTask[] = [];
    let offset = 0;
    rows.forEach((row, index) => {
      const count = writes[index]?.length ?? 0;
      if (changes[offset] === 1) {
        claimed.push({ id: row.id, leaseToken: row.lease_token + 1, attempts: row.attempts + 1 });
        recorder.announce(
          { taskId: row.id, type: 'task.running' },
          changes.slice(offset + 1, offset + count),
        );
      }
      offset += count;
    });
    return claimed;
  }

  /** Re-claims running tasks whose lease expired (a crashed worker); no event: still running. */
  async function claimExpired(owner: string, max: number): Promise<ClaimedTask[]> {
    const now = clock.now();
    let candidates = db
      .selectFrom('tasks')
      .select('id')
      .where('status', '=', sql.lit('running'))
      .where('lease_expires_at', '<', now)
      .orderBy('lease_expires_at')
      .limit(max);
    if (database.dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
    const ids = (await candidates.execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    const rows = await db
      .updateTable('tasks')
      .set((set) => ({
        lease_owner: owner,
        lease_token: set('lease_token', '+', 1),
        lease_expires_at: now + leaseMs,
        attempts: set('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', ids)
      // Re-check the state: a concurrent claimer may have won some of these rows.
      .where('status', '=', 'running')
      .where('lease_expires_at', '<', now)
      .returning(['id', 'lease_token', 'attempts'])
      .execute();
    return rows.map((row) => ({ id: row.id, leaseToken: row.lease_token, attempts: row.attempts }));
  }

  // Expired leases are rare (a crashed worker): look for them at most this often.
  const expiredCheckIntervalMs = Math.max(100, Math.min(1_000, Math.floor(leaseMs / 4)));
  let lastExpiredCheck = -Infinity;

  return {
    async claim(owner, max) {
      const limit = Math.min(max, MAX_CLAIM_BATCH);
      if (limit <= 0) return [];
      let expired: ClaimedTask[] = [];
      if (clock.now() - lastExpiredCheck >= expiredCheckIntervalMs) {
        lastExpiredCheck = clock.now();
        expired = await claimExpired(owner, limit);
        if (expired.length >= limit) return expired;
      }
      return [...expired, ...(await claimPendingTasks(owner, limit - expired.length))];
    },

    async heartbeat(owner) {
      const now = clock.now();
      await db
        .updateTable('tasks')
        .set({ lease_expires_at: now + leaseMs })
        .where('lease_owner', '=', owner)
        .where('status', '=', sql.lit('running'))
        .execute();
      const rows = await db
        .selectFrom('tasks')
        .select('id')
        .where('lease_owner', '=', owner)
        .where('status', '=', sql.lit('running'))
        .execute();
      return new Set(rows.map((row) => row.id));
    },

    async release(owner, taskId, leaseToken) {
      await db
        .updateTable('tasks')
        .set({
          status: 'pending',
          lease_owner: null,
          lease_expires_at: null,
          updated_at: clock.now(),
        })
        .where('id', '=', taskId)
        .where('lease_owner', '=', owner)
        .where('lease_token', '=', leaseToken)
        .where('status', '=', 'running')
        .execute();
    },
  };
}
