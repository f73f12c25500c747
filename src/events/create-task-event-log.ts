import { prepareRead, type Database, type TaskEventsTable } from '../storage/index.js';

export type TaskEventRow = Omit<TaskEventsTable, 'seq' | 'dedupe_key'> & { seq: number };

/** Reads one task's events in commit order, after a cursor (SSE replay and follow). */
export interface TaskEventLog {
  /** Events of `taskId` with `seq` above `afterSeq`, oldest first. */
  readAfter(taskId: string, afterSeq: number, limit: number): Promise<TaskEventRow[]>;
  /** Where an event id sits in the task's log; undefined when it is not this task's. */
  seqOf(taskId: string, eventId: string): Promise<number | undefined>;
}

export function createTaskEventLog(database: Database): TaskEventLog {
  const readAfter = prepareRead(database, (db, arg) =>
    db
      .selectFrom('task_events')
      .select(['seq', 'id', 'task_id', 'project_id', 'environment', 'type', 'data', 'created_at'])
      .where('task_id', '=', arg(0))
      .where('seq', '>', arg(1))
      .orderBy('seq')
      .limit(arg(2)),
  );
  const findSeq = prepareRead(database, (db, arg) =>
    db
      .selectFrom('task_events')
      .select('seq')
      .where('id', '=', arg(0))
      .where('task_id', '=', arg(1)),
  );
  return {
    readAfter: (taskId, afterSeq, limit) => readAfter(taskId, afterSeq, limit),
    seqOf: async (taskId, eventId) => (await findSeq(eventId, taskId))[0]?.seq,
  };
}
