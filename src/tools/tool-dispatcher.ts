import { assertNever } from '../errors/index.js';
import type { Toolkit, ToolDefinition } from './tool-definition.js';
import { ToolError } from './tool-error.js';
import type { ToolCallContext, ToolCallResult, ToolExecutor } from './tool-executor.js';

export type BuiltinToolHandler = (
  input: Record<string, unknown>,
  context: ToolCallContext,
) => Promise<ToolCallResult>;

/** Sends each call to the executor for its binding kind. */
export function createToolDispatcher(executors: {
  builtins: Record<string, BuiltinToolHandler>;
  http: ToolExecutor;
  mcp?: ToolExecutor;
}): ToolExecutor {
  return {
    execute(toolkit: Toolkit, tool: ToolDefinition, input, context) {
      const { binding } = tool;
      switch (binding.kind) {
        case 'builtin': {
          const handler = executors.builtins[binding.handler];
          if (handler === undefined) {
            throw new ToolError({
              code: 'tool_unavailable',
              message: `The built-in tool ${binding.handler} is not available in this server.`,
            });
          }
          return handler(input, context);
        }
        case 'http':
          return executors.http.execute(toolkit, tool, input, context);
        case 'mcp':
          if (executors.mcp === undefined) {
            throw new ToolError({
              code: 'tool_unavailable',
              message: `MCP tools are not available in this server.`,
            });
          }
          return executors.mcp.execute(toolkit, tool, input, context);
        default:
          return assertNever(binding, 'tool binding');
      }
    },
  };
}
