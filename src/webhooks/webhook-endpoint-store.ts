import {
  prepareStatement,
  type Database,
  type Environment,
  type WebhookEndpointsTable,
} from '../storage/index.js';

export type WebhookEndpointRow = WebhookEndpointsTable;

export interface WebhookScope {
  projectId: string;
  environment: Environment;
}

/** The endpoint CADRE_WEBHOOK_URL configures; it receives every project's events. */
export const CONFIG_ENDPOINT_ID = 'we_config';
const EVERY_PROJECT = '*';

/** Endpoint rows: a scope sees its own endpoints and the configured one. */
export function createWebhookEndpointStore(database: Database) {
  const { db } = database;
  const visible = (scope: WebhookScope) =>
    db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where((where) =>
        where.or([
          where.and([
            where('project_id', '=', scope.projectId),
            where('environment', '=', scope.environment),
          ]),
          where('project_id', '=', EVERY_PROJECT),
        ]),
      );
  const deleteAttempts = prepareStatement(database, (db, arg) =>
    db
      .deleteFrom('webhook_attempts')
      .where('delivery_id', 'in', (eb) =>
        eb.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', arg(0)),
      ),
  );
  const deleteDeliveries = prepareStatement(database, (db, arg) =>
    db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', arg(0)),
  );
  const deleteEndpoint = prepareStatement(database, (db, arg) =>
    db.deleteFrom('webhook_endpoints').where('id', '=', arg(0)),
  );

  return {
    async insert(row: WebhookEndpointRow): Promise<void> {
      await db.insertInto('webhook_endpoints').values(row).execute();
    },

    get(scope: WebhookScope, id: string): Promise<WebhookEndpointRow | undefined> {
      return visible(scope).where('id', '=', id).executeTakeFirst();
    },

    list(scope: WebhookScope, limit: number, offset: number): Promise<WebhookEndpointRow[]> {
      return visible(scope)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
    },

    async update(
      id: string,
      changes: Partial<Omit<WebhookEndpointRow, 'id' | 'project_id' | 'environment' | 'source'>>,
    ): Promise<void> {
      await db.updateTable('webhook_endpoints').set(changes).where('id', '=', id).execute();
    },

    /** Removes the endpoint with its delivery log; deliveries in flight record nothing. */
    async remove(id: string): Promise<boolean> {
      const changes = await database.writeCompiledBatch([
        deleteAttempts(id),
        deleteDeliveries(id),
        deleteEndpoint(id),
      ]);
      return (changes[2] ?? 0) > 0;
    },

    /** The configured endpoint, as stored (whichever project asks). */
    findConfigured(): Promise<WebhookEndpointRow | undefined> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', CONFIG_ENDPOINT_ID)
        .executeTakeFirst();
    },

    /** Creates or replaces the configured endpoint; every process may run this at boot. */
    async upsertConfigured(row: WebhookEndpointRow): Promise<void> {
      // Everything but the identity and the creation time follows the configuration.
      const changes: Partial<WebhookEndpointRow> = { ...row };
      delete changes.id;
      delete changes.created_at;
      await db
        .insertInto('webhook_endpoints')
        .values(row)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(changes))
        .execute();
    },
  };
}

export type WebhookEndpointStore = ReturnType<typeof createWebhookEndpointStore>;
