import { afterEach, describe, expect, it } from 'vitest';
import { startFakeService, type FakeService } from '../support/fake-service.js';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';

const DATA_PROMPT = 'Transform data. Filter and reshape JSON with JSONata or JMESPath.';

function promptText(options: { prompt: unknown }): string {
  return JSON.stringify(options.prompt);
}

describe('the task loop with the AI SDK mock model', () => {
  let t: TestCadre | undefined;
  let service: FakeService | undefined;
  afterEach(async () => {
    await t?.close();
    await service?.close();
    t = undefined;
    service = undefined;
  });

  it('runs model, tool and model again, and stores the JSON result with a trace', async () => {
    const model = scriptedMockModel((_options, index) =>
      index === 0
        ? {
            toolCalls: [
              {
                name: 'json__jsonata',
                input: { data: { items: [1, 2, 3] }, expression: '$sum(items)' },
              },
            ],
          }
        : { text: '{"total": 6}' },
    );
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Sum the items', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.status).toBe('complete');
    expect(task.result).toEqual({ total: 6 });
    expect(task.completed_at).toMatch(/Z$/);
    expect(task.usage).toMatchObject({ input_tokens: 100, output_tokens: 20, model_calls: 2 });

    const trace = await getTrace(t, id);
    expect(trace.steps.map((step: any) => `${step.tool}.${step.action}:${step.status}`)).toEqual([
      'cadre.select_tools:complete',
      'model.generate:complete',
      'json.jsonata:complete',
      'model.generate:complete',
    ]);
    const toolStep = trace.steps[2];
    expect(toolStep.output).toEqual({ result: 6 });
    expect(typeof toolStep.duration_ms).toBe('number');
    expect(trace.total_duration_ms).toBe(
      trace.steps.reduce((sum: number, step: any) => sum + step.duration_ms, 0),
    );
  });

  it('gives the model the subagent prompt, the task prompt, user_id and metadata', async () => {
    const model = scriptedMockModel(() => ({ text: '{"ok": true}' }));
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, {
      prompt: 'Reshape the export',
      sub_agent: 'data-agent',
      user_id: 'user_123',
      metadata: { source: 'lead_enrichment_pipeline' },
    });
    await waitForTask(t, id, 'complete');
    const sent = promptText(model.doGenerateCalls[0]!);
    expect(sent).toContain('Filter and reshape JSON');
    expect(sent).toContain('Reshape the export');
    expect(sent).toContain('user_123');
    expect(sent).toContain('lead_enrichment_pipeline');
  });

  it('never executes a tool outside the subagent domain, whatever the model asks', async () => {
    service = await startFakeService({ '/secret': () => ({ body: { leaked: true } }) });
    const model = scriptedMockModel((_options, index) =>
      index === 0
        ? { toolCalls: [{ name: 'http__fetch', input: { url: `${service!.url}/secret` } }] }
        : { text: '{"done": true}' },
    );
    t = await startTestCadre({ CADRE_ALLOW_PRIVATE_HOSTS: service.hostPort }, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Fetch the secret page', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.status).toBe('complete');
    expect(service.hits('/secret')).toBe(0);
    const trace = await getTrace(t, id);
    const refused = trace.steps.find((step: any) => step.tool === 'http');
    expect(refused.status).toBe('failed');
    expect(refused.error.code).toMatch(/tool_not_allowed|invalid_tool_call/);
  });

  it('fails with model_not_configured when no model is set', async () => {
    t = await startTestCadre();
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Sum the items', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.status).toBe('failed');
    expect(task.error).toMatchObject({ code: 'model_not_configured', recoverable: true });
    expect(task.error.suggestion).toContain('CADRE_MODEL');
    expect(task.failed_at).toMatch(/Z$/);
  });

  it('fails with max_steps_exceeded when the model never finishes', async () => {
    const model = scriptedMockModel(() => ({
      toolCalls: [{ name: 'json__jmespath', input: { data: { a: 1 }, expression: 'a' } }],
    }));
    t = await startTestCadre({ CADRE_MAX_STEPS: '3' }, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Loop forever', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.error.code).toBe('max_steps_exceeded');
    expect(model.doGenerateCalls).toHaveLength(3);
  });

  it('asks once more for JSON when the final reply is prose', async () => {
    const model = scriptedMockModel((_options, index) =>
      index === 0 ? { text: 'All done, six items.' } : { text: '```json\n{"count": 6}\n```' },
    );
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Count', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.result).toEqual({ count: 6 });
    const trace = await getTrace(t, id);
    expect(trace.steps.some((step: any) => step.action === 'request_json')).toBe(true);
  });

  it('fails with task_deadline_exceeded when the model outlives the deadline', async () => {
    const model = scriptedMockModel(
      (options) =>
        new Promise((_resolve, reject) => {
          options.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    t = await startTestCadre({ CADRE_TASK_DEADLINE_MS: '1000' }, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Take forever', sub_agent: 'data-agent' });
    const task = await waitForTask(t, id);
    expect(task.error).toMatchObject({ code: 'task_deadline_exceeded', recoverable: true });
  });

  it('aborts the in-flight model call on cancel and writes nothing afterwards', async () => {
    let aborted = false;
    let started!: () => void;
    const modelStarted = new Promise<void>((resolve) => (started = resolve));
    const model = scriptedMockModel(
      (options) =>
        new Promise((_resolve, reject) => {
          started();
          options.abortSignal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    );
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const id = await createTask(t, { prompt: 'Wait', sub_agent: 'data-agent' });
    await modelStarted;
    const stepsBefore = (await getTrace(t, id)).steps.length;
    const cancel = await t.request({ method: 'POST', url: `/v1/tasks/${id}/cancel` });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(aborted).toBe(true);
    const task = await waitForTask(t, id);
    expect(task.status).toBe('cancelled');
    expect((await getTrace(t, id)).steps.length).toBe(stepsBefore);
  });

  it('previews the tool selection in test mode without calling the model', async () => {
    const model = scriptedMockModel(() => ({ text: '{}' }));
    t = await startTestCadre({}, { model });
    await deploy(t, 'data-agent', DATA_PROMPT);
    const response = await t.request({
      method: 'POST',
      url: '/v1/tasks',
      body: { prompt: 'Filter contacts with JMESPath', sub_agent: 'data-agent', mode: 'test' },
    });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('complete');
    expect(response.body.result.tools[0]).toMatchObject({ name: 'json__jmespath' });
    expect(response.body.result.tools[0].score).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(model.doGenerateCalls).toHaveLength(0);
  });
});
