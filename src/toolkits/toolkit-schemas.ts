import { z } from 'zod';
import { PaginationQuerySchema, TimestampSchema } from '../http/common-schemas.js';
import { CapabilitySchema } from './capability-definition-schema.js';
import { McpServerInputSchema } from './mcp/mcp-server-input-schema.js';
import { BaseUrlSchema, EnvVarNameSchema, ToolkitNameSchema } from './toolkit-field-schemas.js';

// Headers the transport owns; a credential in one of them would break the request.
const FORBIDDEN_AUTH_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'idempotency-key',
]);

const HeaderNameSchema = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name such as X-API-Key')
  .refine((name) => !FORBIDDEN_AUTH_HEADERS.has(name.toLowerCase()), 'cannot carry a credential')
  .meta({ example: 'X-API-Key' });

// Messages never echo the value: it is a secret.
const SecretSchema = z
  .string()
  .min(1)
  .max(10_000)
  .regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

const EnvVarField = EnvVarNameSchema.optional().meta({
  description:
    'Read the secret from this environment variable of the Cadre server at call time instead of storing it.',
});

export const ToolkitAuthInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z
    .object({
      type: z.literal('api_key'),
      header: HeaderNameSchema,
      value: SecretSchema.optional().meta({
        description: 'The key; stored encrypted, never returned.',
      }),
      env_var: EnvVarField,
      prefix: z
        .string()
        .max(100)
        .regex(/^[^\r\n\0]*$/, 'must not contain line breaks')
        .optional()
        .meta({ description: 'Put before the key verbatim, e.g. "Token " (mind the space).' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('bearer'),
      token: SecretSchema.optional().meta({ description: 'Stored encrypted, never returned.' }),
      env_var: EnvVarField,
    })
    .strict(),
  z
    .object({
      type: z.literal('basic'),
      username: z
        .string()
        .min(1)
        .max(1000)
        .regex(/^[^:\r\n\0]*$/, 'must not contain ":" or line breaks'),
      password: SecretSchema.optional().meta({
        description:
          'Stored encrypted, never returned. Leave out (and env_var too) for an empty password.',
      }),
      env_var: EnvVarField,
    })
    .strict(),
]);

export const RegisterToolkitBodySchema = z
  .object({
    name: ToolkitNameSchema,
    description: z.string().trim().max(2000).optional(),
    version: z.string().max(100).optional(),
    base_url: BaseUrlSchema.optional().meta({
      description: 'Overrides the servers of an OpenAPI document; required with capabilities.',
    }),
    auth: ToolkitAuthInputSchema.optional(),
    openapi: z.unknown().optional().meta({
      description:
        'An OpenAPI 3.0/3.1 or Swagger 2.0 document as a JSON object: each operation becomes a tool.',
    }),
    capabilities: z.array(CapabilitySchema).min(1).max(2000).optional().meta({
      description: "Ploton's custom tool definition: each capability becomes a tool.",
    }),
    mcp: McpServerInputSchema.optional().meta({
      description:
        'An MCP server: `{command, args?, env?, cwd?}` (stdio, if the operator allows the command) or `{url, headers?}` (Streamable HTTP). Each of its tools becomes a tool.',
    }),
  })
  .superRefine((body, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (body.mcp !== undefined) {
      if (body.openapi !== undefined || body.capabilities !== undefined) {
        issue('mcp', 'give one source: `openapi`, `capabilities` or `mcp`, not several');
      }
      if (body.base_url !== undefined) {
        issue(
          'base_url',
          'does not apply to MCP toolkits; give a Streamable HTTP server as `mcp.url`',
        );
      }
      if (body.auth !== undefined) {
        issue(
          'auth',
          'does not apply to MCP toolkits; give credentials in `mcp.headers` (Streamable HTTP) or `mcp.env` (stdio), where they are stored encrypted',
        );
      }
      return;
    }
    if (
      body.openapi !== undefined &&
      (typeof body.openapi !== 'object' || body.openapi === null || Array.isArray(body.openapi))
    ) {
      issue(
        'openapi',
        'must be the OpenAPI 3.x or Swagger 2.0 document as a JSON object (convert YAML to JSON first)',
      );
    } else if (body.openapi === undefined && body.capabilities === undefined) {
      issue(
        'openapi',
        'a toolkit needs a source: give `openapi` (an OpenAPI 3.x or Swagger 2.0 document), `capabilities` (a custom tool definition) or `mcp` (an MCP server)',
      );
    } else if (body.openapi !== undefined && body.capabilities !== undefined) {
      issue('capabilities', 'give either `openapi` or `capabilities`, not both');
    } else if (body.capabilities !== undefined) {
      if (body.description === undefined || body.description === '') {
        issue('description', 'is required with `capabilities`');
      }
      if (body.base_url === undefined) issue('base_url', 'is required with `capabilities`');
    }
    const auth = body.auth;
    if (auth === undefined || auth.type === 'none') return;
    const secretField =
      auth.type === 'api_key' ? 'value' : auth.type === 'bearer' ? 'token' : 'password';
    const secret =
      auth.type === 'api_key' ? auth.value : auth.type === 'bearer' ? auth.token : auth.password;
    if (secret !== undefined && auth.env_var !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['auth', secretField],
        message: `give \`${secretField}\` or \`env_var\`, not both`,
      });
    } else if (secret === undefined && auth.env_var === undefined && auth.type !== 'basic') {
      context.addIssue({
        code: 'custom',
        path: ['auth', secretField],
        message: `give \`${secretField}\` (stored encrypted) or \`env_var\` (read from the server's environment at call time)`,
      });
    }
  });

export const ToolkitParamsSchema = z.object({ toolkit_id: z.string().min(1).max(200) });

export const ListToolkitsQuerySchema = PaginationQuerySchema;

export const ToolkitAuthViewSchema = z
  .object({
    type: z.enum(['none', 'api_key', 'bearer', 'basic']),
    header: z.string().optional(),
    prefix: z.string().optional(),
    username: z.string().optional(),
    has_secret: z
      .boolean()
      .optional()
      .meta({ description: 'A secret is stored (it is never shown).' }),
    env_var: z.string().optional(),
  })
  .meta({ id: 'ToolkitAuth' });

export const ToolkitMcpViewSchema = z
  .object({
    transport: z.enum(['stdio', 'streamable_http']),
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    cwd: z.string().optional(),
    env: z
      .array(z.string())
      .optional()
      .meta({ description: 'Names of the environment variables set (values are never shown).' }),
    url: z
      .string()
      .optional()
      .meta({ description: 'The endpoint, without its query string (which may hold a key).' }),
    headers: z
      .array(z.string())
      .optional()
      .meta({ description: 'Names of the headers sent (values are never shown).' }),
  })
  .meta({ id: 'ToolkitMcpServer' });

export const ToolkitToolSchema = z
  .object({
    name: z.string().meta({ description: 'The name the model sees: `<toolkit>__<action>`.' }),
    action: z.string(),
    description: z.string(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    parameters: z.record(z.string(), z.unknown()),
    side_effects: z.boolean(),
  })
  .meta({ id: 'ToolkitTool' });

export const ToolkitSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    source: z.enum(['builtin', 'openapi', 'capabilities', 'mcp', 'directory']),
    version: z.string().nullable(),
    base_url: z.string().nullable(),
    auth: ToolkitAuthViewSchema,
    tools_count: z.number().int(),
    tools: z.array(ToolkitToolSchema).optional(),
    mcp: ToolkitMcpViewSchema.optional().meta({
      description: 'How Cadre reaches the MCP server (MCP toolkits only).',
    }),
    auth_schemes: z.array(z.record(z.string(), z.unknown())).optional().meta({
      description: "The OpenAPI document's security schemes (OAuth flows, API key names).",
    }),
    warnings: z.array(z.string()).optional(),
    created_at: TimestampSchema.nullable(),
    updated_at: TimestampSchema.nullable(),
  })
  .meta({ id: 'Toolkit' });

export const DeletedToolkitSchema = z.object({ id: z.string(), deleted: z.literal(true) });

export type RegisterToolkitBody = z.infer<typeof RegisterToolkitBodySchema>;
export type ToolkitAuthInput = z.infer<typeof ToolkitAuthInputSchema>;
export type ToolkitObject = z.infer<typeof ToolkitSchema>;
