import crypto from 'node:crypto';
import type { Clock } from '../../clock/index.js';
import type { SecretBox } from '../../secrets/index.js';
import { fromJson, toJson, type Database, type OAuthSessionsTable } from '../../storage/index.js';
import type { ConnectionScope } from '../connection-store.js';

export type OAuthSessionRow = OAuthSessionsTable;

export function hashLinkToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Consent flows: created when a task needs consent, used once, then completed or failed. */
export function createOAuthSessionStore(options: {
  database: Database;
  secretBox: SecretBox;
  clock: Clock;
}) {
  const { db } = options.database;
  const { clock, secretBox } = options;

  async function transition(
    id: string,
    from: OAuthSessionRow['status'],
    to: OAuthSessionRow['status'],
    error: string | null = null,
  ): Promise<boolean> {
    const result = await db
      .updateTable('oauth_sessions')
      .set({ status: to, error, updated_at: clock.now() })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  return {
    async create(
      scope: ConnectionScope,
      session: {
        id: string;
        linkToken: string;
        taskId: string | null;
        userId: string;
        toolkit: string;
        codeVerifier: string;
        ttlMs: number;
      },
    ): Promise<void> {
      const now = clock.now();
      await db
        .insertInto('oauth_sessions')
        .values({
          id: session.id,
          link_token_hash: hashLinkToken(session.linkToken),
          project_id: scope.projectId,
          environment: scope.environment,
          task_id: session.taskId,
          user_id: session.userId,
          toolkit: session.toolkit,
          code_verifier: toJson(secretBox.seal(session.codeVerifier)),
          status: 'pending',
          error: null,
          expires_at: now + session.ttlMs,
          created_at: now,
          updated_at: now,
        })
        .execute();
    },

    findByLinkToken(token: string): Promise<OAuthSessionRow | undefined> {
      return db
        .selectFrom('oauth_sessions')
        .selectAll()
        .where('link_token_hash', '=', hashLinkToken(token))
        .executeTakeFirst();
    },

    findById(id: string): Promise<OAuthSessionRow | undefined> {
      return db.selectFrom('oauth_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    codeVerifierOf(row: OAuthSessionRow): string {
      return secretBox.open(fromJson(row.code_verifier));
    },

    /** Marks the link used; false when it was used already. */
    markRedirected: (id: string) => transition(id, 'pending', 'redirected'),
    markCompleted: (id: string) => transition(id, 'redirected', 'completed'),
    markFailed: (id: string, error: string) => transition(id, 'completed', 'failed', error),
  };
}

export type OAuthSessionStore = ReturnType<typeof createOAuthSessionStore>;
