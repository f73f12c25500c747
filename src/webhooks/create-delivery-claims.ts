import { sql, type Kysely } from 'kysely';
import {
  prepareRead,
  prepareStatement,
  type Database,
  type DatabaseSchema,
} from '../storage/index.js';
import type { ClaimedDelivery } from './claimed-delivery.js';

/**
 * Webhook deliveries as a queue, claimed like tasks: a lease, a fencing token bumped by every
 * claim, and SKIP LOCKED on PostgreSQL, so several processes can send without sending one
 * delivery twice (unless a lease runs out: then at least once).
 */
export function createDeliveryClaims(database: Database) {
  const { db } = database;
  const isPostgres = database.dialect === 'postgres';
  const releaseClaim = prepareStatement(database, (db, arg) =>
    db
      .updateTable('webhook_deliveries')
      .set({
        status: sql.lit('pending'),
        next_attempt_at: arg(0),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: arg(0),
      })
      .where('id', '=', arg(1))
      .where('lease_token', '=', arg(2))
      .where('status', '=', sql.lit('sending')),
  );
  // A read first: claiming is a write, and an idle poll should not take the write lock.
  const findDue = prepareRead(database, (db, arg) =>
    db
      .selectFrom('webhook_deliveries as due')
      .select('due.id')
      .where('due.status', '=', sql.lit('pending'))
      .where('due.next_attempt_at', '<=', arg(0))
      .where((where) =>
        where.exists(
          where
            .selectFrom('webhook_endpoints as endpoint')
            .select('endpoint.id')
            .whereRef('endpoint.id', '=', 'due.endpoint_id')
            .where('endpoint.status', '=', sql.lit('enabled')),
        ),
      )
      .limit(1),
  );

  type Claim = { id: string; lease_token: number };

  /**
   * Picks the candidates and claims them in one transaction on PostgreSQL, so the SKIP LOCKED
   * row locks hold until the claim commits and a concurrent claimer passes over them. The ids
   * are read first and then named: `UPDATE … WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP
   * LOCKED)` may evaluate its subquery more than once and claim more than n rows. SQLite has
   * one writer; the update re-checks the state either way.
   */
  function inClaimTransaction(claim: (executor: Kysely<DatabaseSchema>) => Promise<Claim[]>) {
    return isPostgres ? db.transaction().execute(claim) : claim(db);
  }

  async function claimDue(owner: string, max: number, now: number, leaseMs: number) {
    if ((await findDue(now)).length === 0) return [];
    return inClaimTransaction(async (executor) => {
      const candidates = await executor
        .selectFrom('webhook_deliveries as due')
        .select('due.id')
        .where('due.status', '=', sql.lit('pending'))
        .where('due.next_attempt_at', '<=', now)
        // A disabled endpoint's deliveries wait, untouched, until it is enabled again.
        .where((where) =>
          where.exists(
            where
              .selectFrom('webhook_endpoints as endpoint')
              .select('endpoint.id')
              .whereRef('endpoint.id', '=', 'due.endpoint_id')
              .where('endpoint.status', '=', sql.lit('enabled')),
          ),
        )
        .orderBy('due.next_attempt_at')
        .limit(max)
        .$if(isPostgres, (query) => query.forUpdate('due').skipLocked())
        .execute();
      if (candidates.length === 0) return [];
      return executor
        .updateTable('webhook_deliveries')
        .set((set) => ({
          status: 'sending',
          lease_owner: owner,
          lease_token: set('lease_token', '+', 1),
          lease_expires_at: now + leaseMs,
          updated_at: now,
        }))
        .where(
          'id',
          'in',
          candidates.map((candidate) => candidate.id),
        )
        .where('status', '=', 'pending')
        .returning(['id', 'lease_token'])
        .execute();
    });
  }

  async function claimExpired(owner: string, max: number, now: number, leaseMs: number) {
    return inClaimTransaction(async (executor) => {
      const candidates = await executor
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', sql.lit('sending'))
        .where('lease_expires_at', '<', now)
        .orderBy('lease_expires_at')
        .limit(max)
        .$if(isPostgres, (query) => query.forUpdate().skipLocked())
        .execute();
      if (candidates.length === 0) return [];
      return executor
        .updateTable('webhook_deliveries')
        .set((set) => ({
          lease_owner: owner,
          lease_token: set('lease_token', '+', 1),
          lease_expires_at: now + leaseMs,
          updated_at: now,
        }))
        .where(
          'id',
          'in',
          candidates.map((candidate) => candidate.id),
        )
        .where('status', '=', 'sending')
        .where('lease_expires_at', '<', now)
        .returning(['id', 'lease_token'])
        .execute();
    });
  }

  async function load(claims: Claim[], now: number): Promise<ClaimedDelivery[]> {
    if (claims.length === 0) return [];
    const rows = await db
      .selectFrom('webhook_deliveries as delivery')
      .innerJoin('webhook_endpoints as endpoint', 'endpoint.id', 'delivery.endpoint_id')
      .innerJoin('task_events as event', 'event.seq', 'delivery.event_seq')
      .select([
        'delivery.id',
        'delivery.attempt_count',
        'delivery.attempt_limit',
        'delivery.payload',
        'delivery.endpoint_id',
        'delivery.event_id',
        'delivery.event_type',
        'delivery.event_seq',
        'delivery.task_id',
        'endpoint.url',
        'endpoint.secret',
        'endpoint.previous_secret',
        'endpoint.previous_secret_expires_at',
        'endpoint.failing_since',
        'event.data',
        'event.created_at',
      ])
      .where(
        'delivery.id',
        'in',
        claims.map((claim) => claim.id),
      )
      .execute();
    const tokens = new Map(claims.map((claim) => [claim.id, claim.lease_token]));
    return rows.map((row) => ({
      id: row.id,
      leaseToken: tokens.get(row.id) ?? 0,
      attempt: row.attempt_count + 1,
      attemptLimit: row.attempt_limit,
      endpointId: row.endpoint_id,
      url: row.url,
      sealedSecrets:
        row.previous_secret !== null &&
        row.previous_secret_expires_at !== null &&
        row.previous_secret_expires_at > now
          ? [row.secret, row.previous_secret]
          : [row.secret],
      failingSince: row.failing_since,
      eventId: row.event_id,
      eventType: row.event_type,
      eventSeq: row.event_seq,
      taskId: row.task_id,
      eventCreatedAt: row.created_at,
      data: row.payload ?? row.data,
      isFrozen: row.payload !== null,
    }));
  }

  return {
    /** Claims due deliveries and, when `includeExpired`, ones whose sender's lease ran out. */
    async claim(
      owner: string,
      max: number,
      options: { now: number; leaseMs: number; includeExpired: boolean },
    ): Promise<ClaimedDelivery[]> {
      const { now, leaseMs } = options;
      const expired = options.includeExpired ? await claimExpired(owner, max, now, leaseMs) : [];
      const due =
        expired.length < max ? await claimDue(owner, max - expired.length, now, leaseMs) : [];
      return load([...expired, ...due], now);
    },

    /** Hands a claimed delivery back unsent (shutdown): due again at once, for any process. */
    async release(delivery: ClaimedDelivery, now: number): Promise<void> {
      const release = releaseClaim(now, delivery.id, delivery.leaseToken);
      await database.writeCompiled(release.sql, release.parameters);
    },
  };
}
