import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createCadre, type Cadre, type CadreOptions } from '../../src/main/create-cadre.js';
import { createLogger } from '../../src/main/create-logger.js';

export interface TestCadre {
  cadre: Cadre;
  dataDir: string;
  /** A live and a test key of one project. */
  keys: { live: string; test: string };
  request(options: {
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
    url: string;
    key?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** A real Cadre on a temp SQLite file (or `databaseUrl`), driven through Fastify's inject. */
export async function startTestCadre(
  env: Record<string, string> = {},
  options: CadreOptions = {},
): Promise<TestCadre> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-test-'));
  const config = loadConfig({
    CADRE_DATA_DIR: dataDir,
    CADRE_LOG_LEVEL: 'silent',
    CADRE_RATE_LIMIT_RPS: '0',
    ...env,
  });
  const cadre = await createCadre(config, {
    logger: createLogger(config.logLevel),
    ...options,
  });
  const live = (await cadre.apiKeys.createKey({ environment: 'live' })).key;
  const test = (await cadre.apiKeys.createKey({ environment: 'test' })).key;
  return {
    cadre,
    dataDir,
    keys: { live, test },
    async request({ method, url, key, body, headers = {} }) {
      const app = cadre.app;
      if (app === undefined) throw new Error('this Cadre has no HTTP role');
      const auth = key === null ? {} : { authorization: `Bearer ${key ?? live}` };
      const response = await app.inject({
        method,
        url,
        headers: {
          ...auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = response.body;
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: leave as text
      }
      return { status: response.statusCode, body: parsed, headers: response.headers };
    },
    async close() {
      await cadre.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
