import path from 'node:path';
import { z } from 'zod';

const NO_CONTROL_CHARACTERS = /^[^\0\r\n]*$/;

// Variables that change how a program loads or what it runs before its own code: with one of
// them, an allowed command (a Node or Python server, say) could be made to run anything else.
const LOADER_ENV_NAMES: ReadonlySet<string> = new Set([
  'PATH',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'RUBYLIB',
  'BASH_ENV',
  'ENV',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
]);
const LOADER_ENV_PREFIXES = ['LD_', 'DYLD_'];

// Headers the Streamable HTTP transport sets itself.
const TRANSPORT_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'accept',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);

/** Why an environment variable name is refused, or undefined when it is fine. */
function envNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name)) {
    return 'must be an environment variable name such as GITHUB_TOKEN';
  }
  const upper = name.toUpperCase();
  if (
    LOADER_ENV_NAMES.has(upper) ||
    LOADER_ENV_PREFIXES.some((prefix) => upper.startsWith(prefix))
  ) {
    return 'changes how the server program is loaded (PATH, NODE_OPTIONS, LD_*, PYTHONPATH…), which is not allowed';
  }
  return undefined;
}

/** Why a header name is refused, or undefined when it is fine. */
function headerNameProblem(name: string): string | undefined {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(name)) {
    return 'must be an HTTP header name such as Authorization';
  }
  if (TRANSPORT_HEADERS.has(name.toLowerCase())) return 'is set by the MCP transport itself';
  return undefined;
}

// Messages never echo a value: it may be a secret.
const SecretValueSchema = z
  .string()
  .max(10_000)
  .regex(NO_CONTROL_CHARACTERS, 'must not contain line breaks');

const McpUrlSchema = z
  .string()
  .max(2000)
  .refine(
    isMcpServerUrl,
    'must be an absolute http(s) URL without credentials or fragment, e.g. "https://mcp.example.com/mcp"',
  );

/**
 * `mcp` in a registration: `{command, args?, env?, cwd?}` starts a stdio server on the Cadre
 * machine, `{url, headers?}` reaches a Streamable HTTP server. Kept as one object (rather than
 * a union) so a mix-up gets a message naming the field instead of "invalid input".
 */
export const McpServerInputSchema = z
  .object({
    command: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .regex(NO_CONTROL_CHARACTERS, 'must not contain line breaks')
      .optional()
      .meta({
        description:
          'Stdio transport: the program to start, by name (looked up on the PATH) or path. The operator must allow it in CADRE_MCP_STDIO_COMMANDS.',
        example: 'npx',
      }),
    args: z
      .array(
        z
          .string()
          .max(10_000)
          .regex(/^[^\0]*$/, 'must not contain NUL'),
      )
      .max(200)
      .optional()
      .meta({
        description: 'Stdio transport: its arguments.',
        example: ['-y', '@modelcontextprotocol/server-everything'],
      }),
    env: z.record(z.string(), SecretValueSchema).optional().meta({
      description:
        'Stdio transport: environment variables for the server (added to HOME, PATH, USER…). Values are stored encrypted and never returned.',
    }),
    cwd: z
      .string()
      .max(1000)
      .regex(/^[^\0]*$/, 'must not contain NUL')
      .refine((value) => path.isAbsolute(value), 'must be an absolute path')
      .optional()
      .meta({ description: 'Stdio transport: the working directory.' }),
    url: McpUrlSchema.optional().meta({
      description: 'Streamable HTTP transport: the endpoint URL. It must pass the outbound guard.',
      example: 'https://mcp.example.com/mcp',
    }),
    headers: z.record(z.string(), SecretValueSchema).optional().meta({
      description:
        'Streamable HTTP transport: headers sent with every request (credentials). Values are stored encrypted and never returned.',
    }),
  })
  .strict()
  .superRefine((input, context) => {
    const issue = (field: string, message: string) =>
      context.addIssue({ code: 'custom', path: [field], message });
    if (input.command === undefined && input.url === undefined) {
      issue('command', 'give `command` (a stdio server) or `url` (a Streamable HTTP server)');
    } else if (input.command !== undefined && input.url !== undefined) {
      issue('url', 'give `command` (a stdio server) or `url` (a Streamable HTTP server), not both');
    } else if (input.url !== undefined) {
      for (const field of ['args', 'env', 'cwd'] as const) {
        if (input[field] !== undefined)
          issue(field, `applies to stdio servers (\`command\`), not to \`url\``);
      }
    } else if (input.headers !== undefined) {
      issue(
        'headers',
        'applies to Streamable HTTP servers (`url`); give a stdio server its secrets in `env`',
      );
    }
    // Names are checked here rather than by the record's key schema, whose issue would only
    // say "Invalid key in record".
    for (const name of Object.keys(input.env ?? {})) {
      const problem = envNameProblem(name);
      if (problem !== undefined) {
        context.addIssue({ code: 'custom', path: ['env', name], message: problem });
      }
    }
    for (const name of Object.keys(input.headers ?? {})) {
      const problem = headerNameProblem(name);
      if (problem !== undefined) {
        context.addIssue({ code: 'custom', path: ['headers', name], message: problem });
      }
    }
    if (input.env !== undefined && Object.keys(input.env).length > 100)
      issue('env', 'at most 100 variables');
    if (input.headers !== undefined && Object.keys(input.headers).length > 50) {
      issue('headers', 'at most 50 headers');
    }
  });

export type McpServerInput = z.infer<typeof McpServerInputSchema>;

function isMcpServerUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !text.includes('#')
  );
}
