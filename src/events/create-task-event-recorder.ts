import { sql } from 'kysely';
import {
  newSortableId,
  prepareStatement,
  toJson,
  type CompiledWrite,
  type Database,
  type TaskStatus,
} from '../storage/index.js';
import { assertNever } from '../errors/index.js';
import type { EventBus } from './event-bus.js';
import type { TaskEventType } from './task-event-types.js';

export interface NewTaskEvent {
  taskId: string;
  type: TaskEventType;
  /** The envelope's `data`. */
  data: unknown;
  at: number;
  /** For `task.progress`: the finished step's sequence number (one event per step). */
  stepSeq?: number;
}

/** The task row the event reports on must look like this after the state change. */
export interface TaskEventCondition {
  status: TaskStatus;
  /** The lease token the change was made under (required for running and waiting). */
  leaseToken?: number;
  /** The `updated_at` the change wrote, for changes no lease token fences (cancel). */
  updatedAt?: number;
}

export interface TaskEventRecorderOptions {
  /**
   * How long a progress webhook waits before it is due, so the steps that finish within
   * that window go out in one webhook instead of one each.
   */
  progressDelayMs: number;
  /** Attempts a new webhook delivery gets before it fails for good. */
  deliveryAttempts: number;
  /** Where commits are announced (stream readers, webhook dispatchers). */
  bus: EventBus;
}

/**
 * Builds the writes that record a task event: appended to `task_events`, and one pending
 * webhook delivery per enabled endpoint that subscribes to it (the transactional outbox).
 * The caller runs them in the same `writeCompiledBatch` as the state change, so the event
 * exists if and only if the change committed.
 */
export interface TaskEventRecorder {
  record(event: NewTaskEvent, when: TaskEventCondition): CompiledWrite[];
  /**
   * After the batch committed, with the rows its `record` writes changed (in order): wakes
   * stream readers when the event was written, and dispatchers only when a delivery was
   * queued that is due now (a wake-up per event would cost every task a poll).
   */
  announce(event: Pick<NewTaskEvent, 'taskId' | 'type'>, changes: readonly number[]): void;
}

export function createTaskEventRecorder(
  database: Database,
  options: TaskEventRecorderOptions,
): TaskEventRecorder {
  // Conditional on the task row, so a worker that lost its lease records nothing; the unique
  // (task_id, dedupe_key) makes a repeated transition (two claimers, a second cancel) a no-op.
  const insertEvent = (withToken: boolean, withUpdatedAt: boolean) =>
    prepareStatement(database, (db, arg) =>
      db
        .insertInto('task_events')
        .columns([
          'id',
          'task_id',
          'project_id',
          'environment',
          'type',
          'data',
          'dedupe_key',
          'created_at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('tasks')
            .select([
              // Explicit casts: PostgreSQL cannot type a bare parameter in a select list.
              eb.cast(eb.val(arg(0)), 'text').as('id'),
              'tasks.id as task_id',
              'tasks.project_id',
              'tasks.environment',
              eb.cast(eb.val(arg(1)), 'text').as('type'),
              eb.cast(eb.val(arg(2)), 'text').as('data'),
              eb.cast(eb.val(arg(3)), 'text').as('dedupe_key'),
              eb.cast(eb.val(arg(4)), 'bigint').as('created_at'),
            ])
            .where('tasks.id', '=', arg(5))
            .where('tasks.status', '=', arg(6))
            .$if(withToken, (query) => query.where('tasks.lease_token', '=', arg(7)))
            .$if(withUpdatedAt, (query) => query.where('tasks.updated_at', '=', arg(8))),
        )
        .onConflict((conflict) => conflict.doNothing()),
    );
  const inserts = new Map<string, ReturnType<typeof insertEvent>>();
  const insertFor = (when: TaskEventCondition) => {
    const withToken = when.leaseToken !== undefined;
    const withUpdatedAt = when.updatedAt !== undefined;
    const key = `${withToken}:${withUpdatedAt}`;
    let insert = inserts.get(key);
    if (insert === undefined) {
      insert = insertEvent(withToken, withUpdatedAt);
      inserts.set(key, insert);
    }
    return insert;
  };

  // Joined on the new event's id: when the insert above was a no-op, nothing is queued.
  // Each index on the log is a B-tree write per event, so it has only its primary key and
  // the transition key; deliveries point at events by `seq`.
  const fanOut = prepareStatement(database, (db, arg) =>
    db
      .insertInto('webhook_deliveries')
      .columns([
        'id',
        'endpoint_id',
        'event_id',
        'event_seq',
        'task_id',
        'project_id',
        'environment',
        'event_type',
        'status',
        'attempt_count',
        'attempt_limit',
        'next_attempt_at',
        'lease_token',
        'created_at',
        'updated_at',
      ])
      .expression((eb) =>
        eb
          .selectFrom('task_events as event')
          .innerJoin('webhook_endpoints as endpoint', (join) =>
            join
              .on((on) =>
                on.or([
                  on('endpoint.project_id', '=', on.ref('event.project_id')),
                  on('endpoint.project_id', '=', sql.lit('*')),
                ]),
              )
              .on((on) =>
                on.or([
                  on('endpoint.environment', '=', on.ref('event.environment')),
                  on('endpoint.environment', '=', sql.lit('*')),
                ]),
              ),
          )
          .select([
            // Deterministic: one delivery per (event, endpoint), named after both.
            sql<string>`${sql.lit('whd_')} || substr(${sql.ref('event.id')}, 5) || substr(${sql.ref('endpoint.id')}, 4)`.as(
              'id',
            ),
            'endpoint.id as endpoint_id',
            'event.id as event_id',
            'event.seq as event_seq',
            'event.task_id',
            'event.project_id',
            'event.environment',
            'event.type as event_type',
            sql.lit('pending').as('status'),
            sql.lit(0).as('attempt_count'),
            eb.cast(eb.val(arg(0)), 'integer').as('attempt_limit'),
            eb.cast(eb.val(arg(1)), 'bigint').as('next_attempt_at'),
            sql.lit(0).as('lease_token'),
            eb.cast(eb.val(arg(2)), 'bigint').as('created_at'),
            eb.cast(eb.val(arg(2)), 'bigint').as('updated_at'),
          ])
          // Found through the (task_id, dedupe_key) key, and only if it is the row just written.
          .where('event.task_id', '=', arg(5))
          .where('event.dedupe_key', '=', arg(6))
          .where('event.id', '=', arg(3))
          .where('endpoint.status', '=', sql.lit('enabled'))
          // `events` is a JSON array of names; a quoted name matches only itself. The pattern
          // is built in SQL: SQLite re-prepares a statement whose LIKE pattern is a bare
          // parameter each time it changes (its LIKE optimization), which cost 15 µs per event.
          .where('endpoint.events', 'like', sql<string>`'%' || cast(${arg(4)} as text) || '%'`),
      ),
  );

  return {
    record(event, when) {
      const id = newSortableId('evt');
      const dedupeKey = dedupeKeyOf(event, when);
      const insert = insertFor(when)(
        id,
        event.type,
        toJson(event.data),
        dedupeKey,
        event.at,
        event.taskId,
        when.status,
        when.leaseToken,
        when.updatedAt,
      );
      const dueAt = event.type === 'task.progress' ? event.at + options.progressDelayMs : event.at;
      return [
        insert,
        fanOut(
          options.deliveryAttempts,
          dueAt,
          event.at,
          id,
          JSON.stringify(event.type),
          event.taskId,
          dedupeKey,
        ),
      ];
    },

    announce(event, [recorded = 0, queued = 0]) {
      if (recorded === 0) return;
      options.bus.publish('task.event', { taskId: event.taskId });
      // Progress is due one interval later: the dispatcher's poll finds it then.
      const isDueNow = event.type !== 'task.progress' || options.progressDelayMs === 0;
      if (queued > 0 && isDueNow) options.bus.publish('webhook.due', { taskId: event.taskId });
    },
  };
}

/** One key per transition, so recording the same transition twice inserts nothing. */
function dedupeKeyOf(event: NewTaskEvent, when: TaskEventCondition): string {
  switch (event.type) {
    case 'task.complete':
    case 'task.failed':
    case 'task.cancelled':
      // A task ends once: at most one terminal event, whichever transition won.
      return 'terminal';
    case 'task.progress':
      if (event.stepSeq === undefined) throw new TypeError('task.progress needs stepSeq');
      return `step:${event.stepSeq}`;
    case 'task.running':
    case 'task.waiting':
      if (when.leaseToken === undefined) throw new TypeError(`${event.type} needs a lease token`);
      return `${event.type}:${when.leaseToken}`;
    default:
      return assertNever(event.type, 'task event type');
  }
}
