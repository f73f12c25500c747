import type { Clock } from '../clock/index.js';
import { newId } from '../ids/index.js';
import type { SecretBox } from '../secrets/index.js';
import {
  fromJson,
  toJson,
  type ConnectionsTable,
  type Database,
  type Environment,
} from '../storage/index.js';
import type { ConnectionSecret } from './connection-secret.js';

export type ConnectionRow = ConnectionsTable;

export interface ConnectionScope {
  projectId: string;
  environment: Environment;
}

export interface UnsealedConnection {
  row: ConnectionRow;
  secret: ConnectionSecret;
}

/**
 * End-user credentials, one per (project, environment, user_id, toolkit), sealed with
 * AES-256-GCM. Every change bumps `version`, so concurrent writers compare-and-swap.
 */
export function createConnectionStore(options: {
  database: Database;
  secretBox: SecretBox;
  clock: Clock;
}) {
  const { db } = options.database;
  const { secretBox, clock } = options;
  const seal = (secret: ConnectionSecret) => {
    const sealed = secretBox.seal(JSON.stringify(secret));
    return { secret: toJson(sealed), secret_kid: sealed.kid };
  };
  const unseal = (row: ConnectionRow): UnsealedConnection => ({
    row,
    secret: JSON.parse(secretBox.open(fromJson(row.secret))) as ConnectionSecret,
  });
  const scoped = (scope: ConnectionScope) =>
    db
      .selectFrom('connections')
      .selectAll()
      .where('project_id', '=', scope.projectId)
      .where('environment', '=', scope.environment);

  return {
    /** Creates or replaces the user's credential for a toolkit. */
    async save(
      scope: ConnectionScope,
      owner: { userId: string; toolkit: string },
      secret: ConnectionSecret,
      details: { scopes: string[]; expiresAt: number | undefined },
    ): Promise<ConnectionRow> {
      const now = clock.now();
      const values = {
        ...seal(secret),
        kind: secret.kind,
        status: 'active' as const,
        scopes: toJson(details.scopes),
        expires_at: details.expiresAt ?? null,
        refresh_lock_until: null,
        updated_at: now,
      };
      await db
        .insertInto('connections')
        .values({
          id: newId('conn'),
          project_id: scope.projectId,
          environment: scope.environment,
          user_id: owner.userId,
          toolkit: owner.toolkit,
          version: 1,
          created_at: now,
          ...values,
        })
        .onConflict((conflict) =>
          conflict
            .columns(['project_id', 'environment', 'user_id', 'toolkit'])
            .doUpdateSet((update) => ({
              ...values,
              version: update('connections.version', '+', 1),
            })),
        )
        .execute();
      const row = await scoped(scope)
        .where('user_id', '=', owner.userId)
        .where('toolkit', '=', owner.toolkit)
        .executeTakeFirstOrThrow();
      return row;
    },

    async findActive(
      scope: ConnectionScope,
      owner: { userId: string; toolkit: string },
    ): Promise<UnsealedConnection | undefined> {
      const row = await scoped(scope)
        .where('user_id', '=', owner.userId)
        .where('toolkit', '=', owner.toolkit)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return row === undefined ? undefined : unseal(row);
    },

    async reload(id: string): Promise<UnsealedConnection | undefined> {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined || row.status !== 'active' ? undefined : unseal(row);
    },

    get(scope: ConnectionScope, id: string): Promise<ConnectionRow | undefined> {
      return scoped(scope).where('id', '=', id).executeTakeFirst();
    },

    list(
      scope: ConnectionScope,
      filter: { userId?: string | undefined; toolkit?: string | undefined },
      page: { limit: number; offset: number },
    ): Promise<ConnectionRow[]> {
      return scoped(scope)
        .$if(filter.userId !== undefined, (query) =>
          query.where('user_id', '=', filter.userId ?? ''),
        )
        .$if(filter.toolkit !== undefined, (query) =>
          query.where('toolkit', '=', filter.toolkit ?? ''),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },

    async remove(scope: ConnectionScope, id: string): Promise<boolean> {
      const result = await db
        .deleteFrom('connections')
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /**
     * Takes the right to refresh this credential version, for `holdMs`. False when another
     * process holds it or the credential already changed.
     */
    async tryLockRefresh(row: ConnectionRow, holdMs: number): Promise<boolean> {
      const now = clock.now();
      const result = await db
        .updateTable('connections')
        .set({ refresh_lock_until: now + holdMs })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .where((where) =>
          where.or([
            where('refresh_lock_until', 'is', null),
            where('refresh_lock_until', '<', now),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Stores refreshed tokens if nobody changed the credential meanwhile. */
    async storeRefreshed(
      row: ConnectionRow,
      secret: ConnectionSecret,
      details: { scopes: string[]; expiresAt: number | undefined },
    ): Promise<boolean> {
      const result = await db
        .updateTable('connections')
        .set({
          ...seal(secret),
          scopes: toJson(details.scopes),
          expires_at: details.expiresAt ?? null,
          refresh_lock_until: null,
          version: row.version + 1,
          updated_at: clock.now(),
        })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The provider no longer honours this credential; kept for the record, never used. */
    async markRevoked(row: ConnectionRow): Promise<void> {
      await db
        .updateTable('connections')
        .set({ status: 'revoked', refresh_lock_until: null, updated_at: clock.now() })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .execute();
    },

    async releaseRefreshLock(row: ConnectionRow): Promise<void> {
      await db
        .updateTable('connections')
        .set({ refresh_lock_until: null })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .execute();
    },
  };
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;
