import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * The task event log (SSE and the webhook outbox), webhook endpoints, deliveries and attempts.
 * Dialect-neutral except the event log's auto-increment key, which each dialect spells its
 * own way (an integer primary key on SQLite, an identity column on PostgreSQL).
 */
export const taskEventsAndWebhooksMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable('task_events')
      .addColumn('seq', isPostgres ? 'bigint' : 'integer', (column) =>
        isPostgres
          ? column.primaryKey().generatedByDefaultAsIdentity()
          : column.primaryKey().autoIncrement(),
      )
      // Random, so unique without an index: every index is a write per event.
      .addColumn('id', 'text', (column) => column.notNull())
      .addColumn('task_id', 'text', (column) => column.notNull())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('data', 'text', (column) => column.notNull())
      .addColumn('dedupe_key', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      // Also the index of a task's stream: a task has few events, sorted by seq on read.
      .addUniqueConstraint('task_events_transition', ['task_id', 'dedupe_key'])
      .execute();

    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('url', 'text', (column) => column.notNull())
      .addColumn('description', 'text')
      .addColumn('events', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('disabled_reason', 'text')
      .addColumn('disabled_at', 'bigint')
      .addColumn('failing_since', 'bigint')
      .addColumn('secret', 'text', (column) => column.notNull())
      .addColumn('previous_secret', 'text')
      .addColumn('previous_secret_expires_at', 'bigint')
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_endpoints_listing')
      .on('webhook_endpoints')
      .columns(['project_id', 'environment', 'created_at'])
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('endpoint_id', 'text', (column) => column.notNull())
      .addColumn('event_id', 'text', (column) => column.notNull())
      .addColumn('event_seq', 'bigint', (column) => column.notNull())
      .addColumn('task_id', 'text', (column) => column.notNull())
      .addColumn('project_id', 'text', (column) => column.notNull())
      .addColumn('environment', 'text', (column) => column.notNull())
      .addColumn('event_type', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attempt_count', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('attempt_limit', 'integer', (column) => column.notNull())
      .addColumn('next_trigger', 'text', (column) => column.notNull().defaultTo('automatic'))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_token', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('lease_expires_at', 'bigint')
      .addColumn('last_attempt_at', 'bigint')
      .addColumn('last_response_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('payload', 'text')
      .addColumn('coalesced_into', 'text')
      .addColumn('delivered_at', 'bigint')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('webhook_deliveries_once', ['endpoint_id', 'event_id'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['next_attempt_at'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_leased')
      .on('webhook_deliveries')
      .columns(['lease_expires_at'])
      .where(sql.ref('status'), '=', 'sending')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_listing')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'event_seq'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_by_task')
      .on('webhook_deliveries')
      .columns(['endpoint_id', 'task_id', 'event_seq'])
      .where(sql.ref('status'), '=', 'pending')
      .execute();

    await db.schema
      .createTable('webhook_attempts')
      .addColumn('delivery_id', 'text', (column) => column.notNull())
      .addColumn('attempt', 'integer', (column) => column.notNull())
      .addColumn('trigger', 'text', (column) => column.notNull())
      .addColumn('attempted_at', 'bigint', (column) => column.notNull())
      .addColumn('duration_ms', 'integer', (column) => column.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('error', 'text')
      .addColumn('response_body', 'text')
      .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
      .execute();
  },

  async down(db: Kysely<unknown>) {
    for (const table of [
      'webhook_attempts',
      'webhook_deliveries',
      'webhook_endpoints',
      'task_events',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
