import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';
import {
  killProcess,
  pidRecordingEverythingStdio,
  startEverythingHttpServer,
  type EverythingHttpServer,
  type PidRecordingServer,
} from '../tools/mcp/everything-server.js';

const FAST_RETRIES = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 };

/**
 * One model turn: call `call` first, then answer with what the call returned
 * (`{"tool_output": …}` or `{"tool_error": "…"}`).
 */
function callThenReport(call: { name: string; input: unknown }) {
  return (options: LanguageModelV3CallOptions): MockTurn => {
    const results = options.prompt
      .filter((message) => message.role === 'tool')
      .flatMap((message) => message.content)
      .filter((part) => part.type === 'tool-result');
    const last = results.at(-1);
    if (last === undefined) return { toolCalls: [call] };
    const answer =
      last.output.type === 'error-text'
        ? { tool_error: last.output.value }
        : { tool_output: last.output.type === 'json' ? last.output.value : null };
    return { text: JSON.stringify(answer) };
  };
}

function stepsOf(trace: any, toolkit: string): any[] {
  return trace.steps.filter((step: { tool: string }) => step.tool === toolkit);
}

describe('a task calling a tool of an MCP toolkit', () => {
  let t: TestCadre | undefined;
  let recording: PidRecordingServer | undefined;
  let http: EverythingHttpServer | undefined;
  let respond: (options: LanguageModelV3CallOptions) => MockTurn = () => ({ text: '{}' });
  const model = scriptedMockModel((options) => respond(options));

  afterEach(async () => {
    await t?.close();
    recording?.cleanup();
    await http?.close();
    t = undefined;
    recording = undefined;
    http = undefined;
  });

  /** A Cadre with the recording stdio server registered as `everything` and a subagent for it. */
  async function startWithStdio(env: Record<string, string> = {}) {
    recording = pidRecordingEverythingStdio();
    t = await startTestCadre(
      { CADRE_MCP_STDIO_COMMANDS: process.execPath, ...env },
      {
        model,
        retry: FAST_RETRIES,
      },
    );
    await registerAndDeploy({ ...recording.mcp });
  }

  async function startWithHttp() {
    http = await startEverythingHttpServer();
    t = await startTestCadre(
      { CADRE_ALLOW_PRIVATE_HOSTS: http.hostPort },
      {
        model,
        retry: FAST_RETRIES,
      },
    );
    await registerAndDeploy({ url: http.url });
  }

  async function registerAndDeploy(mcp: Record<string, unknown>) {
    if (t === undefined) throw new Error('no Cadre');
    const registered = await t.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { name: 'everything', mcp },
    });
    expect(registered.status).toBe(201);
    await deploy(t, 'mcp-agent', 'Use everything to add numbers and echo messages');
  }

  async function runTask(prompt: string, call: { name: string; input: unknown }) {
    if (t === undefined) throw new Error('no Cadre');
    respond = callThenReport(call);
    const id = await createTask(t, { prompt, sub_agent: 'mcp-agent' });
    const task = await waitForTask(t, id, undefined, 30_000);
    return { task, trace: await getTrace(t, id) };
  }

  describe.each([
    ['stdio', () => startWithStdio()],
    ['Streamable HTTP', () => startWithHttp()],
  ] as const)('over %s', (_transport, start) => {
    it("gives the model the tool's answer and completes the task with it", async () => {
      await start();
      const { task, trace } = await runTask('Add 19 and 23 with get-sum', {
        name: 'everything__get-sum',
        input: { a: 19, b: 23 },
      });
      expect(task.status).toBe('complete');
      expect(task.result).toEqual({ tool_output: 'The sum of 19 and 23 is 42.' });
      expect(stepsOf(trace, 'everything')).toEqual([
        expect.objectContaining({
          action: 'get-sum',
          status: 'complete',
          note: '1 text block',
          input: { a: 19, b: 23 },
        }),
      ]);
    });

    it('hands an isError result to the model once, without retrying', async () => {
      await start();
      const { task, trace } = await runTask('Add two and 1 with get-sum', {
        name: 'everything__get-sum',
        input: { a: 'two', b: 1 },
      });
      expect(task.status).toBe('complete');
      expect(task.result.tool_error).toMatch(
        /^mcp_tool_error: The MCP tool get-sum reported an error: .*expected number/,
      );
      const steps = stepsOf(trace, 'everything');
      expect(steps).toHaveLength(1);
      expect(steps[0]).toMatchObject({
        status: 'failed',
        error: { code: 'mcp_tool_error', retryable: false },
      });
    });
  });

  it('starts the stdio server again when it was killed between two tasks', async () => {
    await startWithStdio();
    const first = await runTask('Echo hello', {
      name: 'everything__echo',
      input: { message: 'hello' },
    });
    expect(first.task.result).toEqual({ tool_output: 'Echo: hello' });
    // The registration started (and stopped) one server; the task started the one in use.
    const started = recording?.pids() ?? [];
    await killProcess(started.at(-1) ?? 0);

    const second = await runTask('Echo again', {
      name: 'everything__echo',
      input: { message: 'again' },
    });
    expect(second.task.status).toBe('complete');
    expect(second.task.result).toEqual({ tool_output: 'Echo: again' });
    expect(recording?.pids()).toHaveLength(started.length + 1);
    // If the call met the dead session before the exit was noticed, it was retried.
    for (const step of stepsOf(second.trace, 'everything').slice(0, -1)) {
      expect(step).toMatchObject({
        status: 'retrying',
        error: { code: 'mcp_unavailable', retryable: true },
      });
    }
  });

  it('retries on a fresh session when the HTTP server restarted between two tasks', async () => {
    await startWithHttp();
    const first = await runTask('Echo hello', {
      name: 'everything__echo',
      input: { message: 'hello' },
    });
    expect(first.task.result).toEqual({ tool_output: 'Echo: hello' });
    await http?.kill();
    await http?.restart();

    const second = await runTask('Echo again', {
      name: 'everything__echo',
      input: { message: 'again' },
    });
    expect(second.task.status).toBe('complete');
    expect(second.task.result).toEqual({ tool_output: 'Echo: again' });
    expect(stepsOf(second.trace, 'everything')).toEqual([
      expect.objectContaining({
        status: 'retrying',
        error: expect.objectContaining({ code: 'mcp_unavailable', retryable: true }),
      }),
      expect.objectContaining({ status: 'complete', attempt: 2 }),
    ]);
  });

  it('fails the task with tool_timeout when a tool runs past CADRE_TOOL_TIMEOUT_MS', async () => {
    await startWithStdio({ CADRE_TOOL_TIMEOUT_MS: '3000' });
    // The first call starts the server, so the slow call below is all tool time.
    const warm = await runTask('Echo warm', {
      name: 'everything__echo',
      input: { message: 'warm' },
    });
    expect(warm.task.status).toBe('complete');

    const { task, trace } = await runTask('Run the long running operation', {
      name: 'everything__trigger-long-running-operation',
      input: { duration: 60, steps: 1 },
    });
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({ code: 'tool_timeout', tool: 'everything' });
    expect(stepsOf(trace, 'everything')).toEqual([
      expect.objectContaining({
        action: 'trigger-long-running-operation',
        status: 'failed',
        error: expect.objectContaining({ code: 'tool_timeout' }),
      }),
    ]);
  });
});
