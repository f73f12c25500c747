import { toIsoSeconds } from '../clock/index.js';
import { assertNever } from '../errors/index.js';
import { toolName, type ToolkitAuth } from '../tools/index.js';
import { urlWithoutQuery, type McpServerSettings } from '../tools/mcp/index.js';
import type { ToolkitRecord } from './toolkit-service.js';
import type { ToolkitObject } from './toolkit-schemas.js';

/** The API object: `full` (with its tools) on GET one and create, `summary` in lists. */
export function toToolkitObject(
  record: ToolkitRecord,
  view: 'full' | 'summary',
  warnings: string[] = [],
): ToolkitObject {
  const { toolkit } = record;
  const base: ToolkitObject = {
    id: toolkit.id,
    name: toolkit.name,
    description: toolkit.description,
    source: toolkit.source,
    version: record.version,
    base_url: toolkit.baseUrl,
    auth: toAuthView(toolkit.auth),
    tools_count: toolkit.tools.length,
    ...(record.mcp === null ? {} : { mcp: toMcpView(record.mcp) }),
    created_at: record.createdAt === null ? null : toIsoSeconds(record.createdAt),
    updated_at: record.updatedAt === null ? null : toIsoSeconds(record.updatedAt),
  };
  if (view === 'summary') return base;
  return {
    ...base,
    tools: toolkit.tools.map((tool) => ({
      name: toolName(tool),
      action: tool.action,
      description: tool.description,
      method: tool.binding.kind === 'http' ? tool.binding.method : null,
      path: tool.binding.kind === 'http' ? tool.binding.path : null,
      parameters: tool.parameters,
      side_effects: tool.sideEffects,
    })),
    ...(record.authSchemes.length > 0 ? { auth_schemes: record.authSchemes } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** How an MCP toolkit reaches its server: names of environment variables and headers only. */
export function toMcpView(settings: McpServerSettings): NonNullable<ToolkitObject['mcp']> {
  if (settings.transport === 'streamable_http') {
    return {
      transport: 'streamable_http',
      url: urlWithoutQuery(settings.url),
      headers: Object.keys(settings.headers),
    };
  }
  return {
    transport: 'stdio',
    command: settings.command,
    args: settings.args,
    ...(settings.cwd === undefined ? {} : { cwd: settings.cwd }),
    env: Object.keys(settings.env),
  };
}

/** What the API shows of a toolkit's auth: never a secret, only whether one is stored. */
export function toAuthView(auth: ToolkitAuth): ToolkitObject['auth'] {
  const envVar = auth.type !== 'none' && auth.envVar !== undefined ? { env_var: auth.envVar } : {};
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'api_key':
      return {
        type: 'api_key',
        header: auth.header,
        ...(auth.prefix === undefined ? {} : { prefix: auth.prefix }),
        has_secret: auth.value !== undefined,
        ...envVar,
      };
    case 'bearer':
      return { type: 'bearer', has_secret: auth.token !== undefined, ...envVar };
    case 'basic':
      return {
        type: 'basic',
        username: auth.username,
        has_secret: auth.password !== undefined,
        ...envVar,
      };
    default:
      return assertNever(auth, 'toolkit auth type');
  }
}
