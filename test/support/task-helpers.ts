import type { TestCadre } from './start-test-cadre.js';
import { waitFor } from './wait-for.js';

const TERMINAL = new Set(['complete', 'failed', 'cancelled']);

/** Deploys a subagent and returns its id. */
export async function deploy(
  t: TestCadre,
  name: string,
  prompt: string,
  key?: string,
): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/subagents',
    body: { name, prompt },
    ...(key ? { key } : {}),
  });
  if (response.status !== 201) throw new Error(`deploy failed: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

export async function createTask(
  t: TestCadre,
  body: Record<string, unknown>,
  key?: string,
): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: '/v1/tasks',
    body,
    ...(key ? { key } : {}),
  });
  if (response.status !== 201)
    throw new Error(`task create failed: ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** Polls GET /v1/tasks/:id until the task reaches `status` (default: any terminal state). */
export async function waitForTask(
  t: TestCadre,
  id: string,
  status?: string,
  timeoutMs = 15_000,
  key?: string,
): Promise<any> {
  return waitFor(
    async () => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/tasks/${id}`,
        ...(key ? { key } : {}),
      });
      const current = response.body.status as string;
      if (status === undefined ? TERMINAL.has(current) : current === status) return response.body;
      return undefined;
    },
    { timeoutMs, what: `task ${id} to be ${status ?? 'terminal'}` },
  );
}

export async function getTrace(t: TestCadre, id: string): Promise<any> {
  return (await t.request({ method: 'GET', url: `/v1/tasks/${id}/trace` })).body;
}
