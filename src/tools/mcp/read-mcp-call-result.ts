import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { formatByteSize } from '../builtins/format-byte-size.js';
import { redactSecretsInText } from '../http/redact-secrets.js';
import { ToolError } from '../tool-error.js';
import type { ToolCallResult } from '../tool-executor.js';

export interface McpResultReading {
  /** The tool's name on the server, for messages. */
  toolName: string;
  /** Scrubbed from everything returned. */
  secrets: readonly string[];
  /** Characters of text kept at most (default 100,000). */
  maxTextChars?: number;
}

const ERROR_TEXT_CHARS = 2_000;

/**
 * A `tools/call` result as the model should see it: the structured content when the tool
 * gives one, else its text blocks joined, with images, audio and binary resources described
 * in a line instead of pasted as base64. `isError` results become a non-retryable ToolError
 * carrying the tool's own words, so the model can correct its arguments.
 */
export function readMcpCallResult(
  result: CallToolResult,
  reading: McpResultReading,
): ToolCallResult {
  const maxTextChars = reading.maxTextChars ?? 100_000;
  const redact = (text: string) => redactSecretsInText(text, reading.secrets);
  const parts = result.content.map((block) => renderBlock(block));
  const text = redact(parts.map((part) => part.text).join('\n\n'));
  if (result.isError === true) {
    const reason = text.trim() === '' ? 'no details given' : clip(text.trim(), ERROR_TEXT_CHARS);
    throw new ToolError({
      code: 'mcp_tool_error',
      message: `The MCP tool ${reading.toolName} reported an error: ${reason}`,
    });
  }
  const summary = summarize(result.content);
  if (result.structuredContent !== undefined) {
    return {
      output: redactJson(result.structuredContent, redact),
      note: ['structured content', summary].filter((part) => part !== '').join(', '),
    };
  }
  if (parts.length === 0) return { output: null, note: 'no content' };
  const truncated = text.length > maxTextChars;
  return {
    output: truncated
      ? `${text.slice(0, maxTextChars)}\n[truncated: ${text.length} characters in all]`
      : text,
    note: [summary, truncated ? 'truncated' : ''].filter((part) => part !== '').join(', '),
  };
}

function renderBlock(block: ContentBlock): { text: string } {
  switch (block.type) {
    case 'text':
      return { text: block.text };
    case 'image':
    case 'audio':
      return {
        text: `[${block.type}: ${block.mimeType}, ${formatByteSize(base64Bytes(block.data))}, not shown]`,
      };
    case 'resource_link':
      return {
        text: `[resource link: ${block.name} <${block.uri}>${block.mimeType === undefined ? '' : ` (${block.mimeType})`}${block.description === undefined ? '' : ` ${block.description}`}]`,
      };
    case 'resource': {
      const { resource } = block;
      const type = resource.mimeType === undefined ? '' : ` (${resource.mimeType})`;
      if ('text' in resource)
        return { text: `[resource <${resource.uri}>${type}]\n${resource.text}` };
      return {
        text: `[resource <${resource.uri}>${type}, ${formatByteSize(base64Bytes(resource.blob))} of binary data, not shown]`,
      };
    }
    default:
      return { text: `[${(block as { type: string }).type} content, not shown]` };
  }
}

/** `2 text blocks, 1 image`. */
function summarize(content: readonly ContentBlock[]): string {
  const counts = new Map<string, number>();
  for (const block of content) counts.set(block.type, (counts.get(block.type) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => {
      const noun = type === 'text' ? 'text block' : type.replace('_', ' ');
      return `${count} ${noun}${count === 1 ? '' : 's'}`;
    })
    .join(', ');
}

function redactJson(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactJson(item, redact)]),
    );
  }
  return value;
}

function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
