import { sql, type ExpressionBuilder } from 'kysely';
import type { ProgressData } from '../events/index.js';
import {
  fromJson,
  prepareStatement,
  toJson,
  type CompiledWrite,
  type Database,
  type DatabaseSchema,
} from '../storage/index.js';
import type { ClaimedDelivery } from './claimed-delivery.js';

const MAX_COALESCED = 100;

/** Merges a task's pending progress deliveries into one webhook per endpoint and interval. */
export function createProgressCoalescer(database: Database) {
  const { db } = database;
  // Only while this process still holds the lead: otherwise its webhook may never be sent.
  const leadStillHeld = (
    eb: ExpressionBuilder<DatabaseSchema, 'webhook_deliveries'>,
    lead: { id: string; leaseToken: number },
  ) =>
    eb.exists(
      eb
        .selectFrom('webhook_deliveries as lead')
        .select('lead.id')
        .where('lead.id', '=', lead.id)
        .where('lead.lease_token', '=', lead.leaseToken)
        .where('lead.status', '=', sql.lit('sending')),
    );
  const coalesceClaimed = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_deliveries')
      .set({
        status: sql.lit('coalesced'),
        coalesced_into: arg(0),
        next_attempt_at: null,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: arg(1),
      })
      .where('id', '=', arg(2))
      .where('lease_token', '=', arg(3))
      .where('status', '=', sql.lit('sending'))
      .where((eb) => leadStillHeld(eb, { id: arg(4), leaseToken: arg(5) })),
  );
  const freezePayload = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_deliveries')
      .set({ payload: arg(0) })
      .where('id', '=', arg(1))
      .where('lease_token', '=', arg(2))
      .where('status', '=', sql.lit('sending')),
  );

  return {
    /**
     * Folds later progress deliveries of the same endpoint and task into `lead`: the ones
     * this process claimed together with it (`absorbed`) and the ones still pending. One
     * webhook then carries all their steps, and theirs are marked coalesced. The merged data
     * is frozen on the lead, so every retry sends the same body under the same id. Returns
     * the data to send. A pending follower claimed meanwhile by another process is left
     * alone (it is then sent on its own as well: at least once, never lost).
     */
    async coalesceProgress(
      lead: ClaimedDelivery,
      absorbed: readonly ClaimedDelivery[],
      now: number,
    ): Promise<string> {
      if (lead.isFrozen || lead.attempt > 1) return lead.data;
      const pending = await db
        .selectFrom('webhook_deliveries as delivery')
        .innerJoin('task_events as event', 'event.seq', 'delivery.event_seq')
        .select(['delivery.id', 'delivery.event_seq', 'event.data'])
        .where('delivery.endpoint_id', '=', lead.endpointId)
        .where('delivery.task_id', '=', lead.taskId)
        .where('delivery.status', '=', 'pending')
        .where('delivery.event_type', '=', 'task.progress')
        .where('delivery.event_seq', '>', lead.eventSeq)
        .orderBy('delivery.event_seq')
        .limit(MAX_COALESCED)
        .execute();
      if (pending.length === 0 && absorbed.length === 0) return lead.data;
      const followers = [
        ...absorbed.map((delivery) => ({ seq: delivery.eventSeq, data: delivery.data })),
        ...pending.map((delivery) => ({ seq: delivery.event_seq, data: delivery.data })),
      ].sort((left, right) => left.seq - right.seq);
      const parts = [lead.data, ...followers.map((follower) => follower.data)].map((text) =>
        fromJson<ProgressData>(text),
      );
      const merged: ProgressData = {
        message: parts.at(-1)?.message ?? '',
        steps: parts.flatMap((part) => part.steps),
      };
      const payload = toJson(merged);
      const writes: CompiledWrite[] = [freezePayload(payload, lead.id, lead.leaseToken)];
      for (const delivery of absorbed) {
        writes.push(
          coalesceClaimed(lead.id, now, delivery.id, delivery.leaseToken, lead.id, lead.leaseToken),
        );
      }
      if (pending.length > 0) {
        writes.push(
          db
            .updateTable('webhook_deliveries')
            .set({
              status: 'coalesced',
              coalesced_into: lead.id,
              next_attempt_at: null,
              updated_at: now,
            })
            .where(
              'id',
              'in',
              pending.map((delivery) => delivery.id),
            )
            .where('status', '=', 'pending')
            .where((eb) => leadStillHeld(eb, lead))
            .compile(),
        );
      }
      const [frozen = 0] = await database.writeCompiledBatch(writes);
      return frozen > 0 ? payload : lead.data;
    },
  };
}
