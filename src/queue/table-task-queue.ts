import { sql } from 'kysely';
import type { Clock } from '../clock/index.js';
import type { Database } from '../storage/index.js';
import type { ClaimedTask, TaskQueue } from './task-queue.js';

const MAX_CLAIM_BATCH = 200;

/** The tasks table as a queue: dialect-neutral SQL, plus SKIP LOCKED on PostgreSQL. */
export function createTableTaskQueue(options: {
  database: Database;
  clock: Clock;
  leaseMs: number;
}): TaskQueue {
  const { database, clock, leaseMs } = options;
  const { db } = database;

  async function claimWhere(
    owner: string,
    max: number,
    kind: 'pending' | 'expired',
  ): Promise<ClaimedTask[]> {
    const now = clock.now();
    let candidates = db.selectFrom('tasks').select('id');
    // Literal statuses, so the planner can use the partial indexes (they name the status).
    candidates =
      kind === 'pending'
        ? candidates
            .where('status', '=', sql.lit('pending'))
            .where('run_at', '<=', now)
            .orderBy('run_at')
        : candidates
            .where('status', '=', sql.lit('running'))
            .where('lease_expires_at', '<', now)
            .orderBy('lease_expires_at');
    candidates = candidates.limit(max);
    if (database.dialect === 'postgres') candidates = candidates.forUpdate().skipLocked();
    const ids = (await candidates.execute()).map((row) => row.id);
    if (ids.length === 0) return [];

    let update = db
      .updateTable('tasks')
      .set((set) => ({
        status: 'running',
        lease_owner: owner,
        lease_token: set('lease_token', '+', 1),
        lease_expires_at: now + leaseMs,
        started_at: set.fn.coalesce('started_at', set.val(now)),
        attempts: set('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', ids);
    // Re-check the state: a concurrent claimer may have won some of these rows.
    update =
      kind === 'pending'
        ? update.where('status', '=', 'pending')
        : update.where('status', '=', 'running').where('lease_expires_at', '<', now);
    const rows = await update.returning(['id', 'lease_token', 'attempts']).execute();
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
        expired = await claimWhere(owner, limit, 'expired');
        if (expired.length >= limit) return expired;
      }
      return [...expired, ...(await claimWhere(owner, limit - expired.length, 'pending'))];
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
