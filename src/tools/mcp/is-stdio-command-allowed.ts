/** `*` in CADRE_MCP_STDIO_COMMANDS: any command may be started. */
const ANY_STDIO_COMMAND = '*';

/**
 * Whether the operator lets MCP toolkits start `command`. Entries match the command exactly
 * as written, so allowing `/usr/local/bin/mcp-github` does not allow `mcp-github` found on
 * the PATH, and allowing `node` does not allow `/tmp/node`.
 */
export function isStdioCommandAllowed(command: string, allowed: readonly string[]): boolean {
  return allowed.includes(ANY_STDIO_COMMAND) || allowed.includes(command);
}
