import { sql, type ExpressionBuilder } from 'kysely';
import { assertNever } from '../errors/index.js';
import {
  prepareStatement,
  type CompiledWrite,
  type Database,
  type DatabaseSchema,
} from '../storage/index.js';
import type { AttemptRecord, ClaimedDelivery } from './claimed-delivery.js';

/**
 * Records a delivery attempt, what follows it (retry, success, failure for good) and what it
 * says about the endpoint (healthy, failing for too long, gone), in one fenced batch.
 */
export function createAttemptRecorder(database: Database) {
  // Every write is fenced by the claim's token: a dispatcher whose lease was taken over (it
  // stalled past the lease) records nothing.
  const insertAttempt = prepareStatement(database, (db, arg) =>
    db
      .insertInto('webhook_attempts')
      .columns([
        'delivery_id',
        'attempt',
        'trigger',
        'attempted_at',
        'duration_ms',
        'response_status',
        'error',
        'response_body',
      ])
      .expression((eb) =>
        eb
          .selectFrom('webhook_deliveries')
          .select([
            'webhook_deliveries.id',
            eb.cast(eb.val(arg(0)), 'integer').as('attempt'),
            'webhook_deliveries.next_trigger',
            eb.cast(eb.val(arg(1)), 'bigint').as('attempted_at'),
            eb.cast(eb.val(arg(2)), 'integer').as('duration_ms'),
            eb.cast(eb.val(arg(3)), 'integer').as('response_status'),
            eb.cast(eb.val(arg(4)), 'text').as('error'),
            eb.cast(eb.val(arg(5)), 'text').as('response_body'),
          ])
          .where('webhook_deliveries.id', '=', arg(6))
          .where('webhook_deliveries.lease_token', '=', arg(7))
          .where('webhook_deliveries.status', '=', sql.lit('sending')),
      ),
  );
  const finishAttempt = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_deliveries')
      .set({
        status: arg(0),
        attempt_count: arg(1),
        next_attempt_at: arg(2),
        last_attempt_at: arg(3),
        last_response_status: arg(4),
        last_error: arg(5),
        delivered_at: arg(6),
        next_trigger: sql.lit('automatic'),
        // The owner stays: it names the process that made the last attempt.
        lease_expires_at: null,
        updated_at: arg(3),
      })
      .where('id', '=', arg(7))
      .where('lease_token', '=', arg(8))
      .where('status', '=', sql.lit('sending')),
  );
  // Endpoint health changes only if this attempt was recorded (same token, same attempt).
  const recorded = (
    eb: ExpressionBuilder<DatabaseSchema, 'webhook_endpoints'>,
    deliveryId: never,
    leaseToken: never,
    attempt: never,
  ) =>
    eb.exists(
      eb
        .selectFrom('webhook_deliveries')
        .select('webhook_deliveries.id')
        .where('webhook_deliveries.id', '=', deliveryId)
        .where('webhook_deliveries.lease_token', '=', leaseToken)
        .where('webhook_deliveries.attempt_count', '=', attempt),
    );
  const markHealthy = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_endpoints')
      .set({ failing_since: null })
      .where('id', '=', arg(0))
      .where('failing_since', 'is not', null)
      .where((eb) => recorded(eb, arg(1), arg(2), arg(3))),
  );
  const markFailing = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_endpoints')
      .set((set) => ({ failing_since: set.fn.coalesce('failing_since', set.val(arg(4))) }))
      .where('id', '=', arg(0))
      .where((eb) => recorded(eb, arg(1), arg(2), arg(3))),
  );
  const disable = (onlyWhenFailingLong: boolean) =>
    prepareStatement(database, (db, arg) =>
      db
        .updateTable('webhook_endpoints')
        .set({
          status: sql.lit('disabled'),
          disabled_reason: arg(4),
          disabled_at: arg(5),
          updated_at: arg(5),
        })
        .where('id', '=', arg(0))
        .where('status', '=', sql.lit('enabled'))
        .$if(onlyWhenFailingLong, (query) => query.where('failing_since', '<=', arg(6)))
        .where((eb) => recorded(eb, arg(1), arg(2), arg(3))),
    );
  const disableWhenFailingLong = disable(true);
  const disableNow = disable(false);
  return {
    /** Records an attempt and what follows it; false when this process lost the lease. */
    async record(delivery: ClaimedDelivery, record: AttemptRecord): Promise<boolean> {
      const fence = [delivery.endpointId, delivery.id, delivery.leaseToken, delivery.attempt];
      const writes: CompiledWrite[] = [
        insertAttempt(
          delivery.attempt,
          record.attemptedAt,
          record.durationMs,
          record.responseStatus,
          record.error,
          record.responseBody,
          delivery.id,
          delivery.leaseToken,
        ),
        finishAttempt(
          record.status,
          delivery.attempt,
          record.nextAttemptAt,
          record.attemptedAt,
          record.responseStatus,
          record.error,
          record.status === 'succeeded' ? record.attemptedAt : null,
          delivery.id,
          delivery.leaseToken,
        ),
      ];
      switch (record.health) {
        case 'healthy':
          writes.push(markHealthy(...fence));
          break;
        case 'failing':
          writes.push(
            markFailing(...fence, record.attemptedAt),
            disableWhenFailingLong(
              ...fence,
              record.disableReason,
              record.attemptedAt,
              record.disableIfFailingSince,
            ),
          );
          break;
        case 'gone':
          writes.push(disableNow(...fence, record.disableReason, record.attemptedAt));
          break;
        default:
          return assertNever(record.health, 'endpoint health');
      }
      const changes = await database.writeCompiledBatch(writes);
      return (changes[1] ?? 0) > 0;
    },
  };
}
