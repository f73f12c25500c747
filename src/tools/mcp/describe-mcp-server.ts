import type { McpServerTarget } from './mcp-server-settings.js';

const MAX_LABEL_CHARS = 200;

/**
 * How messages name a server: its command line, or its URL without the query string (a key
 * is sometimes passed there). Environment and header values never appear.
 */
export function describeMcpServer(target: McpServerTarget): string {
  if (target.transport === 'streamable_http') return urlWithoutQuery(target.url);
  const line = [target.command, ...target.args].map(quoteArgument).join(' ');
  return `\`${line.length > MAX_LABEL_CHARS ? `${line.slice(0, MAX_LABEL_CHARS - 1)}…` : line}\``;
}

export function urlWithoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function quoteArgument(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : JSON.stringify(argument);
}
