import { sql, type Kysely, type Migration } from 'kysely';

/** Dialect-neutral: runs unchanged on SQLite and PostgreSQL. */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('projects')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull().references('projects.id'))
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('name', 'text')
      .addColumn('key_hash', 'text', (column) => column.notNull().unique())
      .addColumn('hint', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('subagents')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('prompt', 'text', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('tools', 'text', (column) => column.notNull())
      .addColumn('tools_available', 'integer', (column) => column.notNull())
      .addColumn('warnings', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('subagents_live_name')
      .on('subagents')
      .columns(['project_id', 'environment', 'name'])
      .unique()
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
    await db.schema
      .createIndex('subagents_listing')
      .on('subagents')
      .columns(['project_id', 'environment', 'deleted_at', 'created_at'])
      .execute();

    await db.schema
      .createTable('tasks')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('subagent_id', 'text', (column) => column.notNull())
      .addColumn('sub_agent', 'text', (column) => column.notNull())
      .addColumn('prompt', 'text', (column) => column.notNull())
      .addColumn('user_id', 'text')
      .addColumn('metadata', 'text', (column) => column.notNull())
      .addColumn('mode', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('waiting_for', 'text')
      .addColumn('usage', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('failed_at', 'bigint')
      .addColumn('cancelled_at', 'bigint')
      .addColumn('run_at', 'bigint', (column) => column.notNull())
      .addColumn('deadline_at', 'bigint')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_token', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('lease_expires_at', 'bigint')
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .execute();
    for (const [name, columns] of [
      ['tasks_listing', ['project_id', 'environment', 'created_at']],
      ['tasks_by_status', ['project_id', 'environment', 'status', 'created_at']],
      ['tasks_by_subagent', ['project_id', 'environment', 'sub_agent', 'created_at']],
      ['tasks_by_user', ['project_id', 'environment', 'user_id', 'created_at']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('tasks')
        .columns([...columns])
        .execute();
    }
    await db.schema
      .createIndex('tasks_claimable')
      .on('tasks')
      .columns(['run_at'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('tasks_leased')
      .on('tasks')
      .columns(['lease_expires_at'])
      .where(sql.ref('status'), '=', 'running')
      .execute();
    await db.schema
      .createIndex('tasks_by_lease_owner')
      .on('tasks')
      .columns(['lease_owner'])
      .where(sql.ref('status'), '=', 'running')
      .execute();

    await db.schema
      .createTable('task_steps')
      .addColumn('task_id', 'text', (column) => column.notNull())
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('tool', 'text', (column) => column.notNull())
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('call_id', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('input', 'text')
      .addColumn('output', 'text')
      .addColumn('error', 'text')
      .addColumn('note', 'text')
      .addColumn('started_at', 'bigint', (column) => column.notNull())
      .addColumn('duration_ms', 'integer')
      .addColumn('attempt', 'integer', (column) => column.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('task_steps_pk', ['task_id', 'seq'])
      .execute();

    await db.schema
      .createTable('toolkits')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('description', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('base_url', 'text')
      .addColumn('auth', 'text')
      .addColumn('tools', 'text', (column) => column.notNull())
      .addColumn('settings', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('toolkits_name', ['project_id', 'environment', 'name'])
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('fingerprint', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('locked_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['project_id', 'environment', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_age')
      .on('idempotency_keys')
      .columns(['created_at'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'idempotency_keys',
      'toolkits',
      'task_steps',
      'tasks',
      'subagents',
      'api_keys',
      'projects',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
