import { isAppError } from '../../errors/index.js';
import type { McpTool } from '../../tools/mcp/index.js';
import type { JsonSchema, ToolDefinition } from '../../tools/index.js';
import { createActionNamer } from '../create-action-namer.js';
import { clipText } from '../openapi/clip-text.js';
import { createRefResolver } from '../openapi/create-ref-resolver.js';
import { MAX_TOOL_DESCRIPTION_CHARS } from '../openapi/operation-to-tool.js';
import { SCHEMA_LIMITS, trimJsonSchema } from '../openapi/trim-json-schema.js';

export interface McpToolDefinitions {
  tools: ToolDefinition[];
  /** Sentences about the tools left out. */
  warnings: string[];
}

/**
 * An MCP server's tools as Cadre tools: the action is the tool's name made provider-safe, the
 * parameters its input schema trimmed like an OpenAPI one, and the call goes back to the
 * server under its own name. Only tools that declare `readOnlyHint` count as side-effect free.
 */
export function mcpToolsToDefinitions(
  mcpTools: readonly McpTool[],
  toolkit: string,
): McpToolDefinitions {
  const namer = createActionNamer(toolkit);
  const tools: ToolDefinition[] = [];
  const warnings: string[] = [];
  for (const tool of mcpTools) {
    // A required task must be polled through the tasks API, which Cadre does not speak yet.
    if (tool.execution?.taskSupport === 'required') {
      warnings.push(
        `The MCP tool '${tool.name}' was skipped: it runs only as an MCP task, which Cadre does not support yet.`,
      );
      continue;
    }
    let parameters: JsonSchema;
    try {
      parameters = toParameters(tool);
    } catch (error) {
      if (!isAppError(error)) throw error;
      warnings.push(`The MCP tool '${tool.name}' was skipped: ${error.message}`);
      continue;
    }
    tools.push({
      toolkit,
      action: namer.allocate(tool.name),
      description: describeTool(tool),
      parameters,
      binding: { kind: 'mcp', toolName: tool.name },
      sideEffects: tool.annotations?.readOnlyHint !== true,
    });
  }
  return { tools, warnings };
}

function toParameters(tool: McpTool): JsonSchema {
  const trimmed = trimJsonSchema(
    tool.inputSchema,
    {
      resolver: createRefResolver(tool.inputSchema, {
        label: `The input schema of the MCP tool '${tool.name}'`,
        param: 'mcp',
      }),
      budget: { nodes: SCHEMA_LIMITS.nodesPerTool },
      forRequest: true,
      active: [],
    },
    'inputSchema',
  );
  // Providers want an object schema with `properties`, even for a tool without arguments.
  return { ...trimmed, type: 'object', properties: trimmed.properties ?? {} };
}

function describeTool(tool: McpTool): string {
  const title = tool.title ?? tool.annotations?.title;
  const description = tool.description?.trim() ?? '';
  const text = description || title?.trim() || `The ${tool.name} tool of the MCP server.`;
  return clipText(text, MAX_TOOL_DESCRIPTION_CHARS);
}
