import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export type McpTool = Tool;

export interface McpToolList {
  tools: McpTool[];
  /** The server had more tools than `maxTools`, or pages than we follow. */
  truncated: boolean;
}

// A server whose cursor never ends must not keep a registration busy forever.
const MAX_PAGES = 100;

/** Every tool the server lists, following `nextCursor` page by page. */
export async function listMcpTools(
  client: Client,
  options: { maxTools: number; request: RequestOptions },
): Promise<McpToolList> {
  const tools: McpTool[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await client.listTools(
      cursor === undefined ? undefined : { cursor },
      options.request,
    );
    tools.push(...result.tools);
    if (tools.length > options.maxTools)
      return { tools: tools.slice(0, options.maxTools), truncated: true };
    cursor = result.nextCursor;
    if (cursor === undefined) return { tools, truncated: false };
    if (seenCursors.has(cursor)) return { tools, truncated: true };
    seenCursors.add(cursor);
  }
  return { tools, truncated: true };
}
