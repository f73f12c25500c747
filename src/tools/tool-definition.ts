import type { SealedSecret } from '../secrets/index.js';

export type EncryptedSecret = SealedSecret;

/** A JSON Schema object as tools declare their parameters (draft 2020-12 subset). */
export type JsonSchema = Record<string, unknown>;

/** Where each argument of an HTTP-bound tool goes in the request. */
export type ParameterLocation = 'path' | 'query' | 'header' | 'body';

export interface HttpBinding {
  kind: 'http';
  method: string;
  /** Path template relative to the toolkit's base URL, e.g. `/contacts/{id}`. */
  path: string;
  /** Top-level argument name → where it is sent. Unlisted arguments go in the JSON body. */
  locations: Record<string, ParameterLocation>;
  /** When the whole JSON body is one argument (OpenAPI requestBody), its name. */
  bodyArgument?: string;
  /**
   * What the document says a success looks like, for simulated calls with test keys. Absent
   * when it documents none, and always for the directory's tools, whose index keeps it apart.
   */
  response?: ResponseSample;
}

/** An operation's documented success response: its status and, when documented, its JSON body. */
export interface ResponseSample {
  /** The first documented 2xx status (200 for a `default` or `2XX` response). */
  status: number;
  /** The body's JSON Schema, references resolved and trimmed, `example`s kept. */
  schema?: JsonSchema;
  /** The document's own example of the body (it may be null, so test with `'example' in`). */
  example?: unknown;
}

export interface BuiltinBinding {
  kind: 'builtin';
  /** Key in the built-in handler table, e.g. `http.fetch`. */
  handler: string;
}

export interface McpBinding {
  kind: 'mcp';
  /** The tool's name on the MCP server. */
  toolName: string;
}

export type ToolBinding = HttpBinding | BuiltinBinding | McpBinding;

/** One operation the model can call. Its model-facing name is `<toolkit>__<action>`. */
export interface ToolDefinition {
  toolkit: string;
  action: string;
  description: string;
  parameters: JsonSchema;
  binding: ToolBinding;
  /** True when calling it changes something upstream (POST/PUT/PATCH/DELETE, unknown MCP). */
  sideEffects: boolean;
}

/** Credentials the operator attaches to a whole toolkit (not an end user's). */
export type ToolkitAuth =
  | { type: 'none' }
  | { type: 'api_key'; header: string; value?: EncryptedSecret; envVar?: string; prefix?: string }
  | { type: 'bearer'; token?: EncryptedSecret; envVar?: string }
  | { type: 'basic'; username: string; password?: EncryptedSecret; envVar?: string };

/** One service's set of tools: a built-in, a registration, or a spec of the public directory. */
export interface Toolkit {
  id: string;
  name: string;
  description: string;
  source: 'builtin' | 'openapi' | 'capabilities' | 'mcp' | 'directory';
  baseUrl: string | null;
  auth: ToolkitAuth;
  tools: ToolDefinition[];
}

export const TOOL_NAME_SEPARATOR = '__';

export function toolName(tool: { toolkit: string; action: string }): string {
  return `${tool.toolkit}${TOOL_NAME_SEPARATOR}${tool.action}`;
}
