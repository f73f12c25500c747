import type { Config } from '../config/index.js';
import { createDatabase } from '../storage/index.js';
import { buildTrace, formatTraceTimeline } from '../traces/index.js';

/** `cadre trace TASK_ID`: the task's steps as a readable terminal timeline. */
export async function runTraceCommand(config: Config, args: string[]): Promise<number> {
  const taskId = args[0];
  if (taskId === undefined) {
    process.stderr.write('Usage: cadre trace TASK_ID\n');
    return 1;
  }
  const database = await createDatabase(config.database);
  try {
    const task = await database.db
      .selectFrom('tasks')
      .selectAll()
      .where('id', '=', taskId)
      .executeTakeFirst();
    if (task === undefined) {
      process.stderr.write(`No task with id ${taskId} in ${config.database.kind} database.\n`);
      return 1;
    }
    const steps = await database.db
      .selectFrom('task_steps')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('seq', 'asc')
      .execute();
    const color = process.stdout.isTTY && process.env.NO_COLOR === undefined;
    process.stdout.write(formatTraceTimeline(task, buildTrace(task, steps), { color }));
    return 0;
  } finally {
    await database.close();
  }
}
