import type { McpConfig, OutboundConfig } from '../config/index.js';
import { createGuardedFetch } from '../outbound/index.js';
import type { SecretBox } from '../secrets/index.js';
import { createBuiltinHandlers } from '../tools/builtins/index.js';
import { createHttpToolExecutor } from '../tools/http-tool-executor.js';
import {
  createSandboxExecutor,
  createToolDispatcher,
  type ResponseSamples,
  type ToolExecutor,
} from '../tools/index.js';
import { lookUpUserCredential } from '../tools/look-up-user-credential.js';
import { createMcpToolExecutor, type McpServerSettings } from '../tools/mcp/index.js';
import type { UserCredentials } from '../tools/user-credentials.js';
import { CADRE_VERSION } from './version.js';

/** Runs tools; `close` ends the MCP sessions (and stops the stdio servers) it opened. */
export interface ClosableToolExecutor extends ToolExecutor {
  close(): Promise<void>;
}

/** Every way a tool can run, behind the SSRF-guarded outbound fetch. */
export function createToolExecutor(options: {
  outbound: OutboundConfig;
  mcp: McpConfig;
  secretBox: SecretBox;
  env: Record<string, string | undefined>;
  allowedEnvVars: ReadonlySet<string>;
  /** The stored transport settings of an MCP toolkit (from the toolkit store). */
  readMcpServerSettings: (toolkitId: string) => Promise<McpServerSettings | undefined>;
  /** Per tool call; also the budget for starting an MCP server and its handshake. */
  toolTimeoutMs: number;
  /** End users' credentials (OAuth tokens, API keys) for API toolkits. */
  userCredentials: UserCredentials;
  /** Documented responses of the public directory's operations, for simulated calls. */
  responseSamples: ResponseSamples;
}): ClosableToolExecutor {
  const fetch = createGuardedFetch({
    dangerouslyAllowPrivateHosts: options.outbound.dangerouslyAllowPrivateHosts,
  });
  const mcp = createMcpToolExecutor({
    readServerSettings: options.readMcpServerSettings,
    secretBox: options.secretBox,
    fetch,
    dangerouslyAllowStdioCommands: options.mcp.dangerouslyAllowStdioCommands,
    clientInfo: { name: 'cadre', version: CADRE_VERSION },
    connectTimeoutMs: options.toolTimeoutMs,
  });
  const dispatcher = createToolDispatcher({
    builtins: createBuiltinHandlers({ fetch }),
    http: createHttpToolExecutor({
      fetch,
      secretBox: options.secretBox,
      readEnvSecret: (name: string) =>
        options.allowedEnvVars.has(name) ? options.env[name] : undefined,
      userCredentials: options.userCredentials,
    }),
    mcp,
  });
  // Test keys are a sandbox: their API calls are simulated, after the same authorization.
  const sandbox = createSandboxExecutor({
    live: dispatcher,
    responseSamples: options.responseSamples,
    authorize: async (toolkit, context) => {
      await lookUpUserCredential(options.userCredentials, context, toolkit);
    },
  });
  return { execute: sandbox.execute.bind(sandbox), close: () => mcp.close() };
}
