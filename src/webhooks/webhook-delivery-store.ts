import {
  type Database,
  type WebhookAttemptsTable,
  type WebhookDeliveriesTable,
  type WebhookDeliveryStatus,
} from '../storage/index.js';
import { createAttemptRecorder } from './create-attempt-recorder.js';
import { createDeliveryClaims } from './create-delivery-claims.js';
import { createProgressCoalescer } from './create-progress-coalescer.js';
import type { WebhookScope } from './webhook-endpoint-store.js';

export type WebhookDeliveryRow = WebhookDeliveriesTable;
export type WebhookAttemptRow = WebhookAttemptsTable;

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus | undefined;
  eventType?: string | undefined;
}

/**
 * Webhook deliveries: the queue the dispatcher claims from and records into, and the delivery
 * log the API shows.
 */
export function createWebhookDeliveryStore(database: Database) {
  const { db } = database;
  return {
    ...createDeliveryClaims(database),
    ...createProgressCoalescer(database),
    ...createAttemptRecorder(database),

    async list(
      scope: WebhookScope,
      endpointId: string,
      filter: DeliveryFilter,
      limit: number,
      offset: number,
    ): Promise<WebhookDeliveryRow[]> {
      let query = db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
      return query.orderBy('event_seq', 'desc').limit(limit).offset(offset).execute();
    },

    get(
      scope: WebhookScope,
      endpointId: string,
      deliveryId: string,
    ): Promise<WebhookDeliveryRow | undefined> {
      return db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', deliveryId)
        .where('endpoint_id', '=', endpointId)
        .where('project_id', '=', scope.projectId)
        .where('environment', '=', scope.environment)
        .executeTakeFirst();
    },

    attempts(deliveryId: string): Promise<WebhookAttemptRow[]> {
      return db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', '=', deliveryId)
        .orderBy('attempt')
        .execute();
    },

    /**
     * Schedules one more attempt now (a manual redelivery) of a delivery that is not being
     * sent; false when it is being sent right now.
     */
    async redeliver(deliveryId: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('webhook_deliveries')
        .set((set) => ({
          // A pending delivery keeps its remaining attempts; a finished one gets one more.
          attempt_limit: set
            .case()
            .when('status', '=', 'pending')
            .then(set.ref('attempt_limit'))
            .else(set('attempt_count', '+', 1))
            .end(),
          status: 'pending',
          next_attempt_at: now,
          next_trigger: 'manual',
          updated_at: now,
        }))
        .where('id', '=', deliveryId)
        .where('status', '<>', 'sending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type WebhookDeliveryStore = ReturnType<typeof createWebhookDeliveryStore>;
