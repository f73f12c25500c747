import type { SealedSecret, SecretBox } from '../../secrets/index.js';

/** How to reach a toolkit's MCP server, as stored: environment and header values sealed. */
export type McpServerSettings =
  | {
      transport: 'stdio';
      command: string;
      args: string[];
      cwd?: string;
      env: Record<string, SealedSecret>;
    }
  | { transport: 'streamable_http'; url: string; headers: Record<string, SealedSecret> };

/** The same with its secrets in the clear, only for the moment of connecting. */
export type McpServerTarget =
  | {
      transport: 'stdio';
      command: string;
      args: string[];
      cwd?: string;
      env: Record<string, string>;
    }
  | { transport: 'streamable_http'; url: string; headers: Record<string, string> };

export function sealMcpServerTarget(
  target: McpServerTarget,
  secretBox: SecretBox,
): McpServerSettings {
  return target.transport === 'stdio'
    ? { ...target, env: mapValues(target.env, (value) => secretBox.seal(value)) }
    : { ...target, headers: mapValues(target.headers, (value) => secretBox.seal(value)) };
}

export function openMcpServerSettings(
  settings: McpServerSettings,
  secretBox: SecretBox,
): McpServerTarget {
  return settings.transport === 'stdio'
    ? { ...settings, env: mapValues(settings.env, (sealed) => secretBox.open(sealed)) }
    : { ...settings, headers: mapValues(settings.headers, (sealed) => secretBox.open(sealed)) };
}

/** The values a server's output or error must never show: its environment and header values. */
export function mcpTargetSecrets(target: McpServerTarget): string[] {
  return Object.values(target.transport === 'stdio' ? target.env : target.headers);
}

function mapValues<From, To>(
  record: Record<string, From>,
  map: (value: From) => To,
): Record<string, To> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, map(value)]));
}
