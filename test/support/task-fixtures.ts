import type { Cadre } from '../../src/main/create-cadre.js';

/**
 * States only the runner reaches (failed, traced). API tests run Cadre without a worker,
 * so they put those states in the database as the runner would leave them.
 */
export async function markTaskFailed(
  cadre: Cadre,
  taskId: string,
  error: { code: string; message: string; recoverable: boolean; suggestion?: string },
  failedAt: number,
): Promise<void> {
  await cadre.database.db
    .updateTable('tasks')
    .set({
      status: 'failed',
      error: JSON.stringify(error),
      started_at: failedAt - 1_000,
      failed_at: failedAt,
      updated_at: failedAt,
    })
    .where('id', '=', taskId)
    .execute();
}

export async function insertTraceSteps(
  cadre: Cadre,
  taskId: string,
  startedAt: number,
  steps: readonly {
    tool: string;
    action: string;
    status: 'complete' | 'failed';
    duration_ms: number;
    note?: string;
  }[],
): Promise<void> {
  let at = startedAt;
  await cadre.database.db
    .insertInto('task_steps')
    .values(
      steps.map((step, index) => {
        const row = {
          task_id: taskId,
          seq: index + 1,
          kind: 'tool' as const,
          tool: step.tool,
          action: step.action,
          call_id: `call_${index + 1}`,
          status: step.status,
          input: JSON.stringify({}),
          output: JSON.stringify({ ok: true }),
          error: null,
          note: step.note ?? null,
          started_at: at,
          duration_ms: step.duration_ms,
          attempt: 1,
        };
        at += step.duration_ms;
        return row;
      }),
    )
    .execute();
}
