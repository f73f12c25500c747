import type { ToolCallContext, ToolCallResult } from '../tool-executor.js';

/** Runs one built-in tool call; throws a `ToolError` on failure. */
export type BuiltinHandler = (
  input: Record<string, unknown>,
  context: ToolCallContext,
) => Promise<ToolCallResult>;
