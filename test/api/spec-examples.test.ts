import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { exampleShapeProblems } from '../support/example-shape.js';
import { specExamples as spec } from '../support/ploton-spec-examples.js';
import { insertTraceSteps, markTaskFailed } from '../support/task-fixtures.js';

// Replays every curl example of spec/ploton-rest-api.txt with the same bodies, in the order
// a client would, and holds each response to the fields and types its example shows.
describe('the Ploton spec examples, replayed against Cadre', () => {
  let api: ApiHarness;
  let taskId: string;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api' });
  });
  afterAll(() => api.close());

  it('deploys crm-agent with POST /v1/subagents as the deploy example shows', async () => {
    const response = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: spec.deploySubagent.request,
    });
    expect(response.status).toBe(201);
    expect(exampleShapeProblems(response.body, spec.deploySubagent.response)).toEqual([]);
    expect(response.body).toMatchObject({ id: 'crm-agent', status: 'deployed' });
  });

  it('returns crm-agent with its prompt from GET /v1/subagents/crm-agent', async () => {
    const response = await api.request({ method: 'GET', url: '/v1/subagents/crm-agent' });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.getSubagent.response)).toEqual([]);
    expect(response.body.prompt).toBe(spec.deploySubagent.request.prompt);
  });

  it('lists deployed subagents with GET /v1/subagents?limit=10 as the list example shows', async () => {
    const billing = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'billing-agent', prompt: 'Handle billing. Refund payments and send invoices.' },
    });
    expect(billing.status).toBe(201);
    const response = await api.request({
      method: 'GET',
      url: `/v1/subagents${spec.listSubagents.query}`,
    });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.listSubagents.response)).toEqual([]);
    expect(response.body.has_more).toBe(false);
    const ids = response.body.data.map((agent: { id: string }) => agent.id);
    expect(ids).toEqual(expect.arrayContaining(['crm-agent', 'billing-agent']));
  });

  it('updates the prompt with PATCH /v1/subagents/crm-agent as the update example shows', async () => {
    const response = await api.request({
      method: 'PATCH',
      url: '/v1/subagents/crm-agent',
      body: spec.updateSubagent.request,
    });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.updateSubagent.response)).toEqual([]);
    expect(response.body.prompt).toBe(spec.updateSubagent.request.prompt);
  });

  it('creates a task with POST /v1/tasks as the create example shows', async () => {
    const response = await api.request({
      method: 'POST',
      url: '/v1/tasks',
      body: spec.createTask.request,
    });
    expect(response.status).toBe(201);
    expect(exampleShapeProblems(response.body, spec.createTask.response)).toEqual([]);
    expect(response.body).toMatchObject({
      sub_agent: 'crm-agent',
      user_id: 'user_123',
      metadata: spec.createTask.request.metadata,
    });
    expect(['pending', 'running']).toContain(response.body.status);
    taskId = response.body.id;
  });

  it('returns a complete task with its result from GET /v1/tasks/:task_id', async () => {
    const created = await api.request({
      method: 'POST',
      url: '/v1/tasks',
      body: { ...spec.createTask.request, mode: 'test' },
    });
    expect(created.status).toBe(201);
    const response = await api.request({ method: 'GET', url: `/v1/tasks/${created.body.id}` });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('complete');
    expect(exampleShapeProblems(response.body, spec.getTaskComplete.response)).toEqual([]);
  });

  it('returns a failed task with its error from GET /v1/tasks/:task_id', async () => {
    const created = await api.request({
      method: 'POST',
      url: '/v1/tasks',
      body: spec.createTask.request,
    });
    const { error } = spec.getTaskFailed.response;
    await markTaskFailed(api.base.cadre, created.body.id, { ...error }, Date.now());
    const response = await api.request({ method: 'GET', url: `/v1/tasks/${created.body.id}` });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.getTaskFailed.response)).toEqual([]);
    expect(response.body.error).toEqual(error);
  });

  it('lists complete crm-agent tasks with GET /v1/tasks?status=complete&sub_agent=crm-agent&limit=5', async () => {
    const response = await api.request({ method: 'GET', url: `/v1/tasks${spec.listTasks.query}` });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.listTasks.response)).toEqual([]);
    expect(response.body.data.length).toBeGreaterThan(0);
    for (const task of response.body.data) {
      expect(task).toMatchObject({ status: 'complete', sub_agent: 'crm-agent' });
      expect(task).not.toHaveProperty('result');
      expect(task).not.toHaveProperty('error');
    }
  });

  it('returns the step-by-step trace from GET /v1/tasks/:task_id/trace as the trace example shows', async () => {
    await insertTraceSteps(api.base.cadre, taskId, Date.now(), spec.taskTrace.response.steps);
    const response = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}/trace` });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.taskTrace.response)).toEqual([]);
    expect(response.body).toMatchObject({
      task_id: taskId,
      sub_agent: 'crm-agent',
      total_duration_ms: 1025,
    });
    expect(response.body.steps.map((step: { action: string }) => step.action)).toEqual([
      'authenticate',
      'fetch_contacts',
      'format_response',
    ]);
    expect(response.body.steps[1].note).toBe('Filtered to last 30 days, 47 contacts returned');
  });

  it('cancels the task with POST /v1/tasks/:task_id/cancel as the cancel example shows', async () => {
    const response = await api.request({ method: 'POST', url: `/v1/tasks/${taskId}/cancel` });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.cancelTask.response)).toEqual([]);
    expect(response.body).toMatchObject({ id: taskId, status: 'cancelled' });
  });

  it('deletes crm-agent with DELETE /v1/subagents/crm-agent as the delete example shows', async () => {
    const response = await api.request({ method: 'DELETE', url: '/v1/subagents/crm-agent' });
    expect(response.status).toBe(200);
    expect(exampleShapeProblems(response.body, spec.deleteSubagent.response)).toEqual([]);
    expect(Object.keys(response.body).sort()).toEqual(['deleted_at', 'id', 'status']);
    expect(response.body).toMatchObject({ id: 'crm-agent', status: 'deleted' });
  });
});
