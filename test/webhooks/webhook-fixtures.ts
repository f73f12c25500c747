import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { loadConfig } from '../../src/config/index.js';
import { createCadre, type Cadre, type CadreOptions } from '../../src/main/create-cadre.js';
import { createLogger } from '../../src/main/create-logger.js';
import type { ApiHarness } from '../support/api-harness.js';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';

export const DATA_PROMPT = 'Transform data. Filter and reshape JSON with JSONata or JMESPath.';

function taskPrompt(options: LanguageModelV3CallOptions): string {
  for (const message of options.prompt) {
    if (message.role !== 'user') continue;
    for (const part of message.content) if (part.type === 'text') return part.text;
  }
  return '';
}

/**
 * The AI SDK mock model, steered by words in the task prompt: `[steps:N]` makes N tool calls
 * (one per turn) before answering, `[fail]` fails the model call, `[hang]` waits until the
 * task is aborted; anything else answers `{"ok": true}` at once.
 */
export function directedModel() {
  return scriptedMockModel(async (options): Promise<MockTurn> => {
    const prompt = taskPrompt(options);
    if (prompt.includes('[hang]')) {
      return new Promise<MockTurn>((_resolve, reject) => {
        options.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    }
    if (prompt.includes('[fail]')) {
      return { error: Object.assign(new Error('The model provider is down'), { status: 400 }) };
    }
    const steps = Number(/\[steps:(\d+)\]/.exec(prompt)?.[1] ?? 0);
    const done = options.prompt.filter((message) => message.role === 'tool').length;
    if (done < steps) {
      return {
        toolCalls: [
          {
            name: 'json__jmespath',
            input: { data: { items: [done, done + 1] }, expression: 'sum(items)' },
          },
        ],
      };
    }
    return { text: JSON.stringify(steps > 0 ? { steps } : { ok: true }) };
  });
}

/** A key of a project of its own, so each test's endpoints see only its own tasks. */
export async function projectKey(api: ApiHarness, project: string): Promise<string> {
  const key = await api.createKey({ project, environment: 'live' });
  const deployed = await api.request({
    method: 'POST',
    url: '/v1/subagents',
    key,
    body: { name: 'data-agent', prompt: DATA_PROMPT },
  });
  if (deployed.status !== 201) throw new Error(`deploy failed: ${deployed.text}`);
  return key;
}

export async function createEndpoint(
  api: ApiHarness,
  key: string,
  body: Record<string, unknown>,
): Promise<{ id: string; secret: string; body: any }> {
  const response = await api.request({ method: 'POST', url: '/v1/webhook_endpoints', key, body });
  if (response.status !== 201) throw new Error(`endpoint create failed: ${response.text}`);
  return { id: response.body.id, secret: response.body.secret, body: response.body };
}

export async function createTask(
  api: ApiHarness,
  key: string,
  prompt: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const response = await api.request({
    method: 'POST',
    url: '/v1/tasks',
    key,
    body: { prompt, sub_agent: 'data-agent', ...extra },
  });
  if (response.status !== 201) throw new Error(`task create failed: ${response.text}`);
  return response.body.id;
}

/** A Cadre on a given data dir (so several instances, or restarts, share one database). */
export async function bootCadre(
  dataDir: string,
  env: Record<string, string>,
  options: CadreOptions = {},
): Promise<Cadre> {
  const config = loadConfig({
    CADRE_DATA_DIR: dataDir,
    CADRE_LOG_LEVEL: 'silent',
    CADRE_RATE_LIMIT_RPS: '0',
    ...env,
  });
  return createCadre(config, { logger: createLogger(config.logLevel), ...options });
}

/** Calls a Cadre's API in-process (no contract check: for setups across instances). */
export async function call(
  cadre: Cadre,
  key: string,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await cadre.app!.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.body === '' ? undefined : response.json() };
}
