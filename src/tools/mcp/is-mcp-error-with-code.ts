import { McpError, type ErrorCode } from '@modelcontextprotocol/sdk/types.js';

/** An McpError with this JSON-RPC code (the SDK types `code` as a plain number). */
export function isMcpErrorWithCode(error: unknown, code: ErrorCode): boolean {
  return error instanceof McpError && error.code === (code as number);
}
