import { fromJsonOrNull } from '../storage/index.js';
import type { Trace, TraceStep } from './trace-schemas.js';

interface TaskFacts {
  id: string;
  status: string;
  prompt: string;
  user_id: string | null;
  created_at: number;
  error: string | null;
  result: string | null;
}

const STATUS_MARK: Record<TraceStep['status'], string> = {
  complete: '✓',
  failed: '✗',
  running: '…',
  retrying: '↻',
  skipped: '-',
};

const COLORS = { green: 32, red: 31, yellow: 33, gray: 90, bold: 1 } as const;

/** Renders a trace for a terminal: one line per step, offsets from the task's creation. */
export function formatTraceTimeline(
  task: TaskFacts,
  trace: Trace,
  options: { color: boolean },
): string {
  const paint = (text: string, color: keyof typeof COLORS) =>
    options.color ? `\u001b[${COLORS[color]}m${text}\u001b[0m` : text;
  const lines: string[] = [];
  lines.push(paint(`Task ${task.id} · ${trace.sub_agent} · ${task.status}`, 'bold'));
  lines.push(paint(`  ${truncate(task.prompt, 100)}`, 'gray'));
  if (task.user_id !== null) lines.push(paint(`  user ${task.user_id}`, 'gray'));
  lines.push('');
  for (const step of trace.steps) {
    const offsetMs = Date.parse(step.started_at) - task.created_at;
    const mark = STATUS_MARK[step.status];
    const color =
      step.status === 'complete' ? 'green' : step.status === 'failed' ? 'red' : 'yellow';
    const duration = step.duration_ms === null ? 'running' : `${step.duration_ms} ms`;
    const attempt = step.attempt === undefined ? '' : ` (attempt ${step.attempt})`;
    lines.push(
      `${paint(`+${formatMs(offsetMs).padStart(8)}`, 'gray')}  ${paint(mark, color)} ${`${step.tool}.${step.action}`.padEnd(36)} ${duration.padStart(9)}${attempt}`,
    );
    if (step.note !== undefined)
      lines.push(`${' '.repeat(12)}${paint(truncate(step.note, 110), 'gray')}`);
  }
  lines.push('');
  lines.push(`${trace.steps.length} steps, ${trace.total_duration_ms} ms in steps`);
  const error = fromJsonOrNull<{ code: string; message: string; suggestion?: string }>(task.error);
  if (error !== null) {
    lines.push(paint(`failed: ${error.code}: ${error.message}`, 'red'));
    if (error.suggestion !== undefined)
      lines.push(paint(`  suggestion: ${error.suggestion}`, 'yellow'));
  }
  if (task.result !== null) lines.push(paint(`result: ${truncate(task.result, 300)}`, 'green'));
  return `${lines.join('\n')}\n`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.max(0, ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
