import type { Environment } from '../storage/index.js';
import type { Toolkit, ToolDefinition } from './tool-definition.js';

export interface ToolCallContext {
  taskId: string;
  /** Stable per tool call; sent upstream as `Idempotency-Key` so a re-run after a crash is safe. */
  idempotencyKey: string;
  projectId: string;
  environment: Environment;
  userId: string | null;
  /** Aborted on cancel, deadline or per-tool timeout. */
  signal: AbortSignal;
  timeoutMs: number;
}

export interface ToolCallResult {
  output: unknown;
  /** A short human line for the trace (e.g. "200 OK, 47 items"). */
  note?: string;
}

/** Runs one tool call; throws a ToolError on failure. */
export interface ToolExecutor {
  execute(
    toolkit: Toolkit,
    tool: ToolDefinition,
    input: Record<string, unknown>,
    context: ToolCallContext,
  ): Promise<ToolCallResult>;
}
