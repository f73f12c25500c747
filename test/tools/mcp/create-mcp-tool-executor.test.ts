import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../src/outbound/index.js';
import { createSecretBox } from '../../../src/secrets/index.js';
import { isToolError, type ToolDefinition, type Toolkit } from '../../../src/tools/index.js';
import {
  createMcpToolExecutor,
  sealMcpServerTarget,
  type McpServerSettings,
  type McpServerTarget,
  type McpToolExecutor,
} from '../../../src/tools/mcp/index.js';
import { waitFor } from '../../support/wait-for.js';
import { createToolCallContext } from '../builtins/create-tool-call-context.js';
import {
  everythingStdio,
  isProcessAlive,
  killProcess,
  pidRecordingEverythingStdio,
  startEverythingHttpServer,
  type EverythingHttpServer,
  type PidRecordingServer,
} from './everything-server.js';

const secretBox = createSecretBox('mcp-tool-executor-test-key');
const SECRET = 'mcp-secret-7c1e9a4b2d';

function toolkit(id: string): Toolkit {
  return {
    id,
    name: 'everything',
    description: 'The reference MCP server.',
    source: 'mcp',
    baseUrl: null,
    auth: { type: 'none' },
    tools: [],
  };
}

function tool(toolName: string): ToolDefinition {
  return {
    toolkit: 'everything',
    action: toolName,
    description: '',
    parameters: { type: 'object', properties: {} },
    binding: { kind: 'mcp', toolName },
    sideEffects: false,
  };
}

async function failure(promise: Promise<unknown>) {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isToolError(error)) throw new Error(`expected a ToolError, got ${String(error)}`);
  return error;
}

describe('the MCP tool executor', () => {
  const servers = new Map<string, McpServerSettings>();
  let executor: McpToolExecutor | undefined;
  let recording: PidRecordingServer | undefined;
  let http: EverythingHttpServer | undefined;

  function start(
    targets: Record<string, McpServerTarget>,
    options: { allowedCommands?: string[]; idleMs?: number; allowPrivate?: string[] } = {},
  ): McpToolExecutor {
    for (const [id, target] of Object.entries(targets)) {
      servers.set(id, sealMcpServerTarget(target, secretBox));
    }
    executor = createMcpToolExecutor({
      readServerSettings: (id) => Promise.resolve(servers.get(id)),
      secretBox,
      fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: options.allowPrivate ?? [] }),
      dangerouslyAllowStdioCommands: options.allowedCommands ?? ['*'],
      clientInfo: { name: 'cadre-test', version: '0.0.0' },
      connectTimeoutMs: 20_000,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    });
    return executor;
  }

  function recordingTarget(): McpServerTarget {
    recording = pidRecordingEverythingStdio();
    return {
      transport: 'stdio',
      ...recording.mcp,
      env: { ...recording.mcp.env, API_TOKEN: SECRET },
    };
  }

  afterEach(async () => {
    await executor?.close();
    recording?.cleanup();
    await http?.close();
    servers.clear();
    executor = undefined;
    recording = undefined;
    http = undefined;
  });

  it('returns the text a tool answers with, and reuses one server process for later calls', async () => {
    const run = start({ tk_1: recordingTarget() });
    const first = await run.execute(
      toolkit('tk_1'),
      tool('get-sum'),
      { a: 2, b: 40 },
      createToolCallContext(),
    );
    expect(first).toEqual({ output: 'The sum of 2 and 40 is 42.', note: '1 text block' });
    const second = await run.execute(
      toolkit('tk_1'),
      tool('echo'),
      { message: 'again' },
      createToolCallContext(),
    );
    expect(second.output).toBe('Echo: again');
    expect(recording?.pids()).toHaveLength(1);
  });

  it('returns structured content as the output when the tool gives it', async () => {
    const run = start({ tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } });
    const result = await run.execute(
      toolkit('tk_1'),
      tool('get-structured-content'),
      { location: 'Chicago' },
      createToolCallContext(),
    );
    expect(result.output).toEqual({
      temperature: 36,
      conditions: 'Light rain / drizzle',
      humidity: 82,
    });
    expect(result.note).toBe('structured content, 1 text block');
  });

  it('describes an image in a line instead of returning its base64 data', async () => {
    const run = start({ tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } });
    const result = await run.execute(
      toolkit('tk_1'),
      tool('get-tiny-image'),
      {},
      createToolCallContext(),
    );
    expect(result.output).toMatch(
      /^Here's the image you requested:\n\n\[image: image\/png, [\d.]+ kB, not shown\]\n\nThe image above is the MCP logo\.$/,
    );
    expect(result.note).toBe('2 text blocks, 1 image');
  });

  it('lists resource links by name and URI', async () => {
    const run = start({ tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } });
    const result = await run.execute(
      toolkit('tk_1'),
      tool('get-resource-links'),
      { count: 2 },
      createToolCallContext(),
    );
    expect(result.output).toContain('[resource link: ');
    expect(result.output).toMatch(/<demo:\/\/resource\/[^>]+>/);
    expect(result.note).toBe('1 text block, 2 resource links');
  });

  it('scrubs the values of the toolkit environment from what the server returns', async () => {
    const run = start({ tk_1: recordingTarget() });
    const result = await run.execute(toolkit('tk_1'), tool('get-env'), {}, createToolCallContext());
    expect(result.output).toContain('"API_TOKEN": "[redacted]"');
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("starts a stdio server with only a safe set of Cadre's environment plus the toolkit's own", async () => {
    const run = start({ tk_1: recordingTarget() });
    const result = await run.execute(toolkit('tk_1'), tool('get-env'), {}, createToolCallContext());
    const env = JSON.parse(String(result.output)) as Record<string, string>;
    const inherited = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];
    for (const name of Object.keys(env)) {
      expect([...inherited, 'API_TOKEN', 'PID_FILE']).toContain(name);
    }
    expect(env.API_TOKEN).toBe('[redacted]');
  });

  it('turns an isError result into a non-retryable mcp_tool_error carrying the server text', async () => {
    const run = start({ tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } });
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('get-sum'), { a: 'two', b: 2 }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'mcp_tool_error', retryable: false });
    expect(error.message).toContain('The MCP tool get-sum reported an error');
    expect(error.message).toContain('expected number');
  });

  it('answers tool_timeout (retryable) when the tool does not answer in time, and keeps the session', async () => {
    const run = start({ tk_1: recordingTarget() });
    await run.execute(toolkit('tk_1'), tool('echo'), { message: 'warm' }, createToolCallContext());
    const error = await failure(
      run.execute(
        toolkit('tk_1'),
        tool('trigger-long-running-operation'),
        { duration: 60, steps: 1 },
        createToolCallContext({ timeoutMs: 300 }),
      ),
    );
    expect(error).toMatchObject({ code: 'tool_timeout', retryable: true });
    const after = await run.execute(
      toolkit('tk_1'),
      tool('echo'),
      { message: 'still here' },
      createToolCallContext(),
    );
    expect(after.output).toBe('Echo: still here');
    expect(recording?.pids()).toHaveLength(1);
  });

  it("rethrows the caller's abort reason when the call is cancelled", async () => {
    const run = start({ tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } });
    await run.execute(toolkit('tk_1'), tool('echo'), { message: 'warm' }, createToolCallContext());
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    const call = run.execute(
      toolkit('tk_1'),
      tool('trigger-long-running-operation'),
      { duration: 60, steps: 1 },
      createToolCallContext({ signal: controller.signal }),
    );
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('starts the server again for the next call after it was killed', async () => {
    const run = start({ tk_1: recordingTarget() });
    await run.execute(toolkit('tk_1'), tool('echo'), { message: 'one' }, createToolCallContext());
    const [first] = recording?.pids() ?? [];
    await killProcess(first ?? 0);
    // Either the pool saw the exit and reconnects, or the call finds the session dead and
    // fails retryably; the retry then reconnects.
    const second = await run
      .execute(toolkit('tk_1'), tool('echo'), { message: 'two' }, createToolCallContext())
      .catch(async (error: unknown) => {
        expect(error).toMatchObject({ code: 'mcp_unavailable', retryable: true });
        return run.execute(
          toolkit('tk_1'),
          tool('echo'),
          { message: 'two' },
          createToolCallContext(),
        );
      });
    expect(second.output).toBe('Echo: two');
    expect(recording?.pids()).toHaveLength(2);
  });

  it('fails retryably on a Streamable HTTP session the restarted server no longer knows, then reconnects', async () => {
    http = await startEverythingHttpServer();
    const run = start(
      { tk_1: { transport: 'streamable_http', url: http.url, headers: {} } },
      { allowPrivate: [http.hostPort] },
    );
    const first = await run.execute(
      toolkit('tk_1'),
      tool('get-sum'),
      { a: 1, b: 2 },
      createToolCallContext(),
    );
    expect(first.output).toBe('The sum of 1 and 2 is 3.');
    await http.kill();
    await http.restart();
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('get-sum'), { a: 3, b: 4 }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'mcp_unavailable', retryable: true });
    const retried = await run.execute(
      toolkit('tk_1'),
      tool('get-sum'),
      { a: 3, b: 4 },
      createToolCallContext(),
    );
    expect(retried.output).toBe('The sum of 3 and 4 is 7.');
  });

  it('fails retryably with mcp_unavailable while the HTTP server is down', async () => {
    http = await startEverythingHttpServer();
    const run = start(
      { tk_1: { transport: 'streamable_http', url: http.url, headers: {} } },
      { allowPrivate: [http.hostPort] },
    );
    await http.kill();
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('echo'), { message: 'hello' }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'mcp_unavailable', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses a loopback URL the operator has not allowed, without retrying', async () => {
    http = await startEverythingHttpServer();
    const run = start({ tk_1: { transport: 'streamable_http', url: http.url, headers: {} } });
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('echo'), { message: 'hello' }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'mcp_unavailable', retryable: false });
    expect(error.message).toContain('CADRE_ALLOW_PRIVATE_HOSTS');
  });

  it('closes a session left idle, stopping its server, and starts a new one on the next call', async () => {
    const run = start({ tk_1: recordingTarget() }, { idleMs: 50 });
    await run.execute(toolkit('tk_1'), tool('echo'), { message: 'one' }, createToolCallContext());
    const [first] = recording?.pids() ?? [];
    await waitFor(() => (isProcessAlive(first ?? 0) ? undefined : true), {
      what: 'the idle server to stop',
    });
    const second = await run.execute(
      toolkit('tk_1'),
      tool('echo'),
      { message: 'two' },
      createToolCallContext(),
    );
    expect(second.output).toBe('Echo: two');
    expect(recording?.pids()).toHaveLength(2);
  });

  it('stops every server it started when closed, and refuses calls afterwards', async () => {
    const run = start({ tk_1: recordingTarget() });
    await run.execute(toolkit('tk_1'), tool('echo'), { message: 'one' }, createToolCallContext());
    const [pid] = recording?.pids() ?? [];
    await run.close();
    expect(isProcessAlive(pid ?? 0)).toBe(false);
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('echo'), { message: 'two' }, createToolCallContext()),
    );
    expect(error.code).toBe('tool_unavailable');
  });

  it('answers tool_unavailable for a deleted toolkit', async () => {
    const run = start({});
    const error = await failure(
      run.execute(toolkit('tk_gone'), tool('echo'), { message: 'x' }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'tool_unavailable', retryable: false });
  });

  it('refuses to start a command the operator no longer allows', async () => {
    const run = start(
      { tk_1: { transport: 'stdio', ...everythingStdio(), env: {} } },
      { allowedCommands: ['/usr/local/bin/some-other-server'] },
    );
    const error = await failure(
      run.execute(toolkit('tk_1'), tool('echo'), { message: 'x' }, createToolCallContext()),
    );
    expect(error).toMatchObject({ code: 'tool_unavailable', retryable: false });
    expect(error.message).toContain('CADRE_MCP_STDIO_COMMANDS');
  });
});
