import type { ProgressData } from '../events/index.js';
import type { TaskStepsTable } from '../storage/index.js';

const MAX_PROGRESS_MESSAGE_CHARS = 500;

/**
 * The `task.progress` data for a step, or undefined when the step is not progress worth
 * reporting: only model turns and tool calls that ended (complete or failed) count, not
 * Cadre's own steps, calls still running or attempts about to be retried.
 */
export function stepProgress(
  step: Pick<
    TaskStepsTable,
    'kind' | 'seq' | 'tool' | 'action' | 'status' | 'note' | 'duration_ms'
  >,
): ProgressData | undefined {
  const isWork = step.kind === 'model' || step.kind === 'tool';
  const isFinished = step.status === 'complete' || step.status === 'failed';
  if (!isWork || !isFinished) return undefined;
  const message = `${step.tool}.${step.action} ${step.status}${step.note ? `: ${step.note}` : ''}`;
  return {
    message:
      message.length <= MAX_PROGRESS_MESSAGE_CHARS
        ? message
        : `${message.slice(0, MAX_PROGRESS_MESSAGE_CHARS - 1)}…`,
    steps: [
      {
        seq: step.seq,
        tool: step.tool,
        action: step.action,
        status: step.status,
        duration_ms: step.duration_ms,
        note: step.note,
      },
    ],
  };
}
