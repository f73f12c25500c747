import type { Clock } from '../clock/index.js';
import { AppError } from '../errors/index.js';
import { newId } from '../ids/index.js';
import type { SecretBox } from '../secrets/index.js';
import { fromJsonOrNull, toJson } from '../storage/index.js';
import { builtinToolkits, type Toolkit, type ToolDefinition } from '../tools/index.js';
import {
  sealMcpServerTarget,
  type McpServerSettings,
  type McpServerTarget,
} from '../tools/mcp/index.js';
import { invalidToolkitError } from './invalid-toolkit-error.js';
import { readMcpSource, type McpRegistrationOptions } from './mcp/read-mcp-source.js';
import type { OpenApiAuthScheme } from './openapi/read-openapi-auth-schemes.js';
import { parseCapabilitiesToolkit } from './parse-capabilities-toolkit.js';
import { parseOpenApiToolkit } from './parse-openapi-toolkit.js';
import { sealToolkitAuth } from './seal-toolkit-auth.js';
import { toAbsoluteHttpUrl } from './to-absolute-http-url.js';
import {
  rowToToolkit,
  type ToolkitRow,
  type ToolkitScope,
  type ToolkitStore,
} from './toolkit-store.js';
import type { RegisterToolkitBody } from './toolkit-schemas.js';

/** A toolkit with what the API shows beside it; built-ins have no timestamps. */
export interface ToolkitRecord {
  toolkit: Toolkit;
  version: string | null;
  authSchemes: OpenApiAuthScheme[];
  /** How an MCP toolkit reaches its server (secrets sealed); null for other sources. */
  mcp: McpServerSettings | null;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface ToolkitService {
  register(
    scope: ToolkitScope,
    body: RegisterToolkitBody,
  ): Promise<{ record: ToolkitRecord; warnings: string[] }>;
  /** Registered toolkits (newest first), then the built-ins. */
  list(scope: ToolkitScope, page: { limit: number; offset: number }): Promise<ToolkitRecord[]>;
  /** By id (`tk_…`) or name. */
  get(scope: ToolkitScope, idOrName: string): Promise<ToolkitRecord>;
  remove(scope: ToolkitScope, idOrName: string): Promise<{ id: string }>;
}

interface ToolkitSettings {
  version: string | null;
  auth_schemes: OpenApiAuthScheme[];
  mcp?: McpServerSettings;
}

/** Names a registration may not take: the built-ins, and the trace's own step tools. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...builtinToolkits.map((toolkit) => toolkit.name),
  'model',
  'cadre',
]);

export function createToolkitService(options: {
  store: ToolkitStore;
  secretBox: SecretBox;
  clock: Clock;
  /** Environment variables the operator lets toolkits read credentials from. */
  allowedEnvVars: ReadonlySet<string>;
  mcp: McpRegistrationOptions;
}): ToolkitService {
  const { store, secretBox, clock } = options;

  function findBuiltin(idOrName: string): Toolkit | undefined {
    return builtinToolkits.find((toolkit) => toolkit.id === idOrName || toolkit.name === idOrName);
  }

  async function findRow(scope: ToolkitScope, idOrName: string): Promise<ToolkitRow> {
    const row = await store.findByIdOrName(scope, idOrName);
    if (row === undefined) {
      throw new AppError({
        code: 'toolkit_not_found',
        message: `No toolkit '${idOrName}' exists in this project and environment. List them with GET /v1/toolkits.`,
        param: 'toolkit_id',
      });
    }
    return row;
  }

  return {
    async register(scope, body) {
      const conflict = (message: string) =>
        new AppError({ code: 'toolkit_exists', message, param: 'name' });
      if (RESERVED_NAMES.has(body.name)) {
        throw conflict(`'${body.name}' is reserved for a built-in toolkit; choose another name.`);
      }
      const envVar =
        body.auth !== undefined && 'env_var' in body.auth ? body.auth.env_var : undefined;
      if (envVar !== undefined && !options.allowedEnvVars.has(envVar)) {
        throw new AppError({
          code: 'invalid_request',
          message: `The environment variable ${envVar} is not allowed for toolkit credentials. The operator must list it in CADRE_TOOLKIT_ENV_VARS, or send the secret itself (it is stored encrypted).`,
          param: 'auth.env_var',
        });
      }
      const nameTaken = () =>
        conflict(
          `A toolkit named '${body.name}' already exists. Delete it with DELETE /v1/toolkits/${body.name} first, or choose another name.`,
        );
      // Checked before an MCP server is started or reached for nothing; the insert checks again.
      if ((await store.findByIdOrName(scope, body.name)) !== undefined) throw nameTaken();
      const source = await readSource(body, options.mcp);
      const now = clock.now();
      const settings: ToolkitSettings = {
        version: source.version,
        auth_schemes: source.authSchemes,
        ...(source.mcp === undefined ? {} : { mcp: sealMcpServerTarget(source.mcp, secretBox) }),
      };
      const row: ToolkitRow = {
        id: newId('tk'),
        project_id: scope.projectId,
        environment: scope.environment,
        name: body.name,
        description: source.description,
        source: source.kind,
        base_url: source.baseUrl,
        auth: toJson(sealToolkitAuth(body.auth, secretBox)),
        tools: toJson(source.tools),
        settings: toJson(settings),
        created_at: now,
        updated_at: now,
      };
      if (!(await store.insert(row))) throw nameTaken();
      return { record: rowToRecord(row), warnings: source.warnings };
    },

    async list(scope, page) {
      const registeredCount = await store.count(scope);
      const rows = page.offset < registeredCount ? await store.listPage(scope, page) : [];
      const builtinStart = Math.max(0, page.offset - registeredCount);
      const builtins = builtinToolkits
        .slice(builtinStart, builtinStart + page.limit - rows.length)
        .map(builtinRecord);
      return [...rows.map(rowToRecord), ...builtins];
    },

    async get(scope, idOrName) {
      const builtin = findBuiltin(idOrName);
      if (builtin !== undefined) return builtinRecord(builtin);
      return rowToRecord(await findRow(scope, idOrName));
    },

    async remove(scope, idOrName) {
      const builtin = findBuiltin(idOrName);
      if (builtin !== undefined) {
        throw new AppError({
          code: 'builtin_toolkit_readonly',
          message: `'${builtin.name}' is a built-in toolkit and cannot be deleted.`,
          param: 'toolkit_id',
        });
      }
      const row = await findRow(scope, idOrName);
      // Lost a race with another delete: answer as if it had never been there.
      if (!(await store.remove(scope, row.id))) await findRow(scope, row.id);
      return { id: row.id };
    },
  };
}

interface ToolkitSource {
  kind: 'openapi' | 'capabilities' | 'mcp';
  tools: ToolDefinition[];
  description: string;
  baseUrl: string | null;
  version: string | null;
  authSchemes: OpenApiAuthScheme[];
  warnings: string[];
  /** The MCP server, secrets still in the clear (sealed before storing). */
  mcp?: McpServerTarget;
}

async function readSource(
  body: RegisterToolkitBody,
  mcp: McpRegistrationOptions,
): Promise<ToolkitSource> {
  if (body.mcp !== undefined) {
    const source = await readMcpSource({ ...body, mcp: body.mcp }, mcp);
    return {
      kind: 'mcp',
      tools: source.tools,
      description: source.description,
      baseUrl: null,
      version: source.version,
      authSchemes: [],
      warnings: source.warnings,
      mcp: source.target,
    };
  }
  const givenBaseUrl = body.base_url === undefined ? null : toAbsoluteHttpUrl(body.base_url);
  if (body.capabilities !== undefined) {
    const parsed = parseCapabilitiesToolkit(body);
    return { kind: 'capabilities', ...parsed, authSchemes: [], warnings: [] };
  }
  const parsed = parseOpenApiToolkit(body.openapi, { toolkit: body.name });
  const baseUrl = givenBaseUrl ?? parsed.baseUrl;
  if (baseUrl === null) {
    throw invalidToolkitError(
      'The OpenAPI document declares no absolute server URL (OpenAPI 3 `servers[0].url`, Swagger 2 `host`): give `base_url`.',
      'base_url',
    );
  }
  return {
    kind: 'openapi',
    tools: parsed.tools,
    description: body.description || parsed.description || `The ${body.name} API.`,
    baseUrl,
    version: body.version ?? parsed.version,
    authSchemes: parsed.authSchemes,
    warnings: parsed.warnings,
  };
}

function rowToRecord(row: ToolkitRow): ToolkitRecord {
  const settings = fromJsonOrNull<Partial<ToolkitSettings>>(row.settings);
  return {
    toolkit: rowToToolkit(row),
    version: settings?.version ?? null,
    authSchemes: settings?.auth_schemes ?? [],
    mcp: settings?.mcp ?? null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function builtinRecord(toolkit: Toolkit): ToolkitRecord {
  return { toolkit, version: null, authSchemes: [], mcp: null, createdAt: null, updatedAt: null };
}
