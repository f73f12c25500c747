import type { Database, Environment } from '../storage/index.js';

export interface IdempotencyScope {
  projectId: string;
  environment: Environment;
  key: string;
}

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' }
  | { kind: 'replay'; status: number; body: string };

/** Idempotency records: claimed before the handler runs, completed with its response. */
export function createIdempotencyStore(database: Database, staleAfterMs: number) {
  const { db } = database;
  const scoped = (scope: IdempotencyScope) =>
    db
      .selectFrom('idempotency_keys')
      .where('project_id', '=', scope.projectId)
      .where('environment', '=', scope.environment)
      .where('key', '=', scope.key);

  return {
    async claim(scope: IdempotencyScope, fingerprint: string, now: number): Promise<ClaimResult> {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          project_id: scope.projectId,
          environment: scope.environment,
          key: scope.key,
          fingerprint,
          state: 'in_progress',
          response_status: null,
          response_body: null,
          created_at: now,
          locked_at: now,
        })
        .onConflict((conflict) =>
          conflict.columns(['project_id', 'environment', 'key']).doNothing(),
        )
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { kind: 'claimed' };

      const existing = await scoped(scope).selectAll().executeTakeFirst();
      if (existing === undefined) return this.claim(scope, fingerprint, now);
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'completed') {
        return {
          kind: 'replay',
          status: existing.response_status ?? 200,
          body: existing.response_body ?? '',
        };
      }
      if (now - existing.locked_at < staleAfterMs) return { kind: 'in_progress' };
      // The holder died mid-request: take the key over, once.
      const takeover = await db
        .updateTable('idempotency_keys')
        .set({ locked_at: now })
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('key', '=', scope.key)
        .where('state', '=', 'in_progress')
        .where('locked_at', '=', existing.locked_at)
        .executeTakeFirst();
      return Number(takeover.numUpdatedRows) > 0 ? { kind: 'claimed' } : { kind: 'in_progress' };
    },

    async complete(scope: IdempotencyScope, status: number, body: string): Promise<void> {
      await db
        .updateTable('idempotency_keys')
        .set({ state: 'completed', response_status: status, response_body: body })
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('key', '=', scope.key)
        .execute();
    },

    async release(scope: IdempotencyScope): Promise<void> {
      await db
        .deleteFrom('idempotency_keys')
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('key', '=', scope.key)
        .where('state', '=', 'in_progress')
        .execute();
    },

    async deleteOlderThan(cutoff: number): Promise<number> {
      const result = await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
