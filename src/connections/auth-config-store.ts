import type { Clock } from '../clock/index.js';
import type { SecretBox } from '../secrets/index.js';
import { fromJson, toJson, type Database, type ToolkitAuthConfigsTable } from '../storage/index.js';
import type { ConnectionScope } from './connection-store.js';

export interface AuthConfig {
  toolkit: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string[] | undefined;
  authorizationUrl: string | undefined;
  tokenUrl: string | undefined;
  createdAt: number;
  updatedAt: number;
}

/** The operator's OAuth client (id, sealed secret, optional URL and scope overrides) per toolkit. */
export function createAuthConfigStore(options: {
  database: Database;
  secretBox: SecretBox;
  clock: Clock;
}) {
  const { db } = options.database;
  const toConfig = (row: ToolkitAuthConfigsTable): AuthConfig => {
    const scopes = fromJson<string[]>(row.scopes);
    return {
      toolkit: row.toolkit,
      clientId: row.client_id,
      clientSecret:
        row.client_secret === null
          ? undefined
          : options.secretBox.open(fromJson(row.client_secret)),
      scopes: scopes.length === 0 ? undefined : scopes,
      authorizationUrl: row.authorization_url ?? undefined,
      tokenUrl: row.token_url ?? undefined,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  };

  return {
    async save(
      scope: ConnectionScope,
      config: Omit<AuthConfig, 'createdAt' | 'updatedAt'>,
    ): Promise<AuthConfig> {
      const now = options.clock.now();
      const sealed =
        config.clientSecret === undefined ? undefined : options.secretBox.seal(config.clientSecret);
      const values = {
        client_id: config.clientId,
        client_secret: sealed === undefined ? null : toJson(sealed),
        secret_kid: sealed?.kid ?? null,
        scopes: toJson(config.scopes ?? []),
        authorization_url: config.authorizationUrl ?? null,
        token_url: config.tokenUrl ?? null,
        updated_at: now,
      };
      await db
        .insertInto('toolkit_auth_configs')
        .values({
          project_id: scope.projectId,
          environment: scope.environment,
          toolkit: config.toolkit,
          created_at: now,
          ...values,
        })
        .onConflict((conflict) =>
          conflict.columns(['project_id', 'environment', 'toolkit']).doUpdateSet(values),
        )
        .execute();
      const saved = await this.find(scope, config.toolkit);
      if (saved === undefined) throw new Error('auth config vanished after save');
      return saved;
    },

    async find(scope: ConnectionScope, toolkit: string): Promise<AuthConfig | undefined> {
      const row = await db
        .selectFrom('toolkit_auth_configs')
        .selectAll()
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('toolkit', '=', toolkit)
        .executeTakeFirst();
      return row === undefined ? undefined : toConfig(row);
    },

    async remove(scope: ConnectionScope, toolkit: string): Promise<boolean> {
      const result = await db
        .deleteFrom('toolkit_auth_configs')
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .where('toolkit', '=', toolkit)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

export type AuthConfigStore = ReturnType<typeof createAuthConfigStore>;
