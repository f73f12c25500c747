import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';

describe('human input: ask_user and POST /v1/tasks/:id/input', () => {
  let t: TestCadre;
  const offeredTools: string[][] = [];

  beforeEach(async () => {
    t = await startTestCadre(
      {},
      {
        model: scriptedMockModel((options) => {
          offeredTools.push((options.tools ?? []).map((tool) => tool.name));
          const last = options.prompt.at(-1);
          if (last?.role === 'tool') {
            const part = last.content[0];
            if (part?.type === 'tool-result' && part.output.type === 'json') {
              return { text: JSON.stringify({ user_said: part.output.value }) };
            }
            return { text: '{"error": "no answer"}' };
          }
          return {
            toolCalls: [{ name: 'ask_user', input: { question: 'Which pipeline should I use?' } }],
          };
        }),
      },
    );
    await deploy(t, 'sales-agent', 'Manage the sales pipeline with the json toolkit.');
  });
  afterEach(() => t.close());

  it('pauses with waiting_for input, resumes with the answer, and refuses a second answer', async () => {
    const id = await createTask(t, { prompt: 'Move the deal forward', sub_agent: 'sales-agent' });
    const waiting = await waitForTask(t, id, 'waiting');
    expect(waiting.waiting_for).toEqual({
      type: 'input',
      question: 'Which pipeline should I use?',
    });
    expect(offeredTools[0]).toContain('ask_user');

    const answered = await t.request({
      method: 'POST',
      url: `/v1/tasks/${id}/input`,
      body: { answer: 'The enterprise pipeline' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.id).toBe(id);
    expect(['pending', 'running', 'complete']).toContain(answered.body.status);

    const done = await waitForTask(t, id);
    expect(done.status).toBe('complete');
    expect(done.result).toEqual({ user_said: { answer: 'The enterprise pipeline' } });

    const trace = await getTrace(t, id);
    const question = trace.steps.find((step: any) => step.action === 'ask_user');
    expect(question).toMatchObject({ tool: 'cadre', status: 'complete' });
    expect(question.note).toContain('Which pipeline');

    const late = await t.request({
      method: 'POST',
      url: `/v1/tasks/${id}/input`,
      body: { answer: 'again' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('task_not_waiting');
  });

  it('validates the body, hides other projects’ tasks and answers 404 for unknown ones', async () => {
    const id = await createTask(t, { prompt: 'Move the deal forward', sub_agent: 'sales-agent' });
    await waitForTask(t, id, 'waiting');

    const missing = await t.request({ method: 'POST', url: `/v1/tasks/${id}/input`, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid_request', param: 'answer' });

    const nullAnswer = await t.request({
      method: 'POST',
      url: `/v1/tasks/${id}/input`,
      body: { answer: null },
    });
    expect(nullAnswer.status).toBe(400);

    const otherKey = (await t.cadre.apiKeys.createKey({ environment: 'live', project: 'other' }))
      .key;
    const foreign = await t.request({
      method: 'POST',
      url: `/v1/tasks/${id}/input`,
      key: otherKey,
      body: { answer: 'x' },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('task_not_found');

    const unknown = await t.request({
      method: 'POST',
      url: '/v1/tasks/task_nope/input',
      body: { answer: 'x' },
    });
    expect(unknown.status).toBe(404);

    // Still waiting: nothing above changed it.
    const still = await t.request({ method: 'GET', url: `/v1/tasks/${id}` });
    expect(still.body.status).toBe('waiting');
  });

  it('answers 409 for a task that is not waiting', async () => {
    const id = await createTask(t, { prompt: 'Move the deal forward', sub_agent: 'sales-agent' });
    await waitForTask(t, id, 'waiting');
    await t.request({ method: 'POST', url: `/v1/tasks/${id}/cancel` });
    const response = await t.request({
      method: 'POST',
      url: `/v1/tasks/${id}/input`,
      body: { answer: 'too late' },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('task_not_waiting');
  });
});
