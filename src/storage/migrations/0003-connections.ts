import { sql, type Kysely, type Migration } from 'kysely';

/** End-user credentials, OAuth client settings per toolkit, and pending consent flows. */
export const connectionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('connections')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('user_id', 'text', (column) => column.notNull())
      .addColumn('toolkit', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('secret', 'text', (column) => column.notNull())
      .addColumn('secret_kid', 'text', (column) => column.notNull())
      .addColumn('scopes', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('refresh_lock_until', 'bigint')
      .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('connections_owner')
      .on('connections')
      .columns(['project_id', 'environment', 'user_id', 'toolkit'])
      .unique()
      .execute();
    await db.schema
      .createIndex('connections_by_kid')
      .on('connections')
      .columns(['secret_kid'])
      .execute();

    await db.schema
      .createTable('toolkit_auth_configs')
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('toolkit', 'text', (column) => column.notNull())
      .addColumn('client_id', 'text', (column) => column.notNull())
      .addColumn('client_secret', 'text')
      .addColumn('secret_kid', 'text')
      .addColumn('scopes', 'text', (column) => column.notNull())
      .addColumn('authorization_url', 'text')
      .addColumn('token_url', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('toolkit_auth_configs_pk', ['project_id', 'environment', 'toolkit'])
      .execute();

    await db.schema
      .createTable('oauth_sessions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('link_token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('task_id', 'text')
      .addColumn('user_id', 'text', (column) => column.notNull())
      .addColumn('toolkit', 'text', (column) => column.notNull())
      .addColumn('code_verifier', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('error', 'text')
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('oauth_sessions_by_task')
      .on('oauth_sessions')
      .columns(['task_id'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of ['oauth_sessions', 'toolkit_auth_configs', 'connections']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
