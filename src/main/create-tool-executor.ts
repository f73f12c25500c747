import type { OutboundConfig } from '../config/index.js';
import { createGuardedFetch } from '../outbound/index.js';
import type { SecretBox } from '../secrets/index.js';
import { createBuiltinHandlers } from '../tools/builtins/index.js';
import { createHttpToolExecutor } from '../tools/http-tool-executor.js';
import { createToolDispatcher, type ToolExecutor } from '../tools/index.js';

/** Every way a tool can run, behind the SSRF-guarded outbound fetch. */
export function createToolExecutor(options: {
  outbound: OutboundConfig;
  secretBox: SecretBox;
  env: Record<string, string | undefined>;
  allowedEnvVars: ReadonlySet<string>;
}): ToolExecutor {
  const fetch = createGuardedFetch({
    dangerouslyAllowPrivateHosts: options.outbound.dangerouslyAllowPrivateHosts,
  });
  return createToolDispatcher({
    builtins: createBuiltinHandlers({ fetch }),
    http: createHttpToolExecutor({
      fetch,
      secretBox: options.secretBox,
      readEnvSecret: (name: string) =>
        options.allowedEnvVars.has(name) ? options.env[name] : undefined,
    }),
  });
}
