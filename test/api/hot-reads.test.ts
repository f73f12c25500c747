import path from 'node:path';
import { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/create-logger.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres.js';
import { parseRateLimit, parseRetryAfter } from '../support/rate-limit-headers.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy } from '../support/task-helpers.js';

const BURST = 1_000;

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * GET /v1/tasks/:id and GET /v1/subagents are answered before Fastify when nothing about the
 * request is unusual. Over real HTTP, every answer must be the one the Fastify route gives
 * (which `inject` always reaches), and the unusual requests must still reach Fastify.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'hot reads on %s (GET /v1/tasks/:id, GET /v1/subagents over HTTP)',
  (backend) => {
    const clock = createScriptedClock();
    const logLines: Record<string, unknown>[] = [];
    let test: TestCadre;
    let baseUrl: string;
    let taskId: string;
    let postgres: TestPostgresDatabase | undefined;

    beforeAll(async () => {
      postgres = backend === 'postgres' ? await createTestPostgresDatabase() : undefined;
      const logStream = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const line of chunk.toString().split('\n')) {
            if (line !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
          }
          callback();
        },
      });
      test = await startTestCadre(
        {
          CADRE_RATE_LIMIT_RPS: '1',
          CADRE_RATE_LIMIT_BURST: String(BURST),
          ...(postgres === undefined ? {} : { CADRE_DATABASE_URL: postgres.url }),
        },
        { role: 'api', clock, logger: createLogger('info', logStream) },
      );
      baseUrl = await app().listen({ host: '127.0.0.1', port: 0 });
      await deploy(test, 'crm-agent', 'Handle CRM tasks: pull contacts, sync deals.');
      taskId = await createTask(test, {
        prompt: 'Pull contacts',
        sub_agent: 'crm-agent',
        metadata: { source: 'test' },
      });
    });
    afterAll(async () => {
      await test.close();
      await postgres?.drop();
    });
    beforeEach(() => {
      clock.advance(3_600_000); // every bucket full again
    });

    const app = () => {
      const { app } = test.cadre;
      if (app === undefined) throw new Error('no HTTP role');
      return app;
    };
    /** How many requests the hot path answered itself, and how many it handed to Fastify. */
    const counts = () => app().hotReads.counts();

    async function overHttp(
      url: string,
      headers: Record<string, string> = { authorization: `Bearer ${test.keys.live}` },
    ): Promise<Answer> {
      const response = await fetch(`${baseUrl}${url}`, { headers });
      const text = await response.text();
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: text === '' ? undefined : JSON.parse(text),
      };
    }

    async function throughFastify(
      url: string,
      headers: Record<string, string> = { authorization: `Bearer ${test.keys.live}` },
    ): Promise<Answer> {
      const response = await app().inject({ method: 'GET', url, headers });
      return {
        status: response.statusCode,
        headers: response.headers as Record<string, string>,
        body: response.body === '' ? undefined : JSON.parse(response.body),
      };
    }

    it('answers a task read before Fastify, with the body, headers and log line of the route', async () => {
      const before = counts();
      const hot = await overHttp(`/v1/tasks/${taskId}`);
      expect(counts()).toEqual({ ...before, answered: before.answered + 1 });
      const routed = await throughFastify(`/v1/tasks/${taskId}`);
      expect(hot.status).toBe(200);
      expect(hot.body).toEqual(routed.body);
      expect(hot.headers['content-type']).toBe(routed.headers['content-type']);
      expect(hot.headers['content-length']).toBe(routed.headers['content-length']);
      expect(hot.headers['ratelimit-policy']).toBe(routed.headers['ratelimit-policy']);
      expect(parseRateLimit(hot.headers.ratelimit).remaining).toBe(BURST - 1);
      expect(parseRateLimit(routed.headers.ratelimit).remaining).toBe(BURST - 2);
      expect(hot.headers['x-request-id']).toMatch(/^req_\w{20}$/);

      const line = logLines.find((entry) => entry.reqId === hot.headers['x-request-id']);
      expect(line).toMatchObject({
        level: 30,
        msg: 'request',
        method: 'GET',
        url: '/v1/tasks/:task_id',
        statusCode: 200,
        keyId: expect.stringMatching(/^key_/) as string,
      });
      expect(typeof line?.durationMs).toBe('number');
    });

    it('keeps the caller’s X-Request-Id on a hot answer', async () => {
      const before = counts();
      const hot = await overHttp(`/v1/tasks/${taskId}`, {
        authorization: `Bearer ${test.keys.live}`,
        'x-request-id': 'client-trace.42',
      });
      expect(hot.status).toBe(200);
      expect(hot.headers['x-request-id']).toBe('client-trace.42');
      expect(counts().answered).toBe(before.answered + 1);
    });

    it('answers subagent lists with plain queries before Fastify, as the route does', async () => {
      for (const query of ['', '?limit=1', '?type=prebuilt&limit=2&offset=1', '?type=custom']) {
        const before = counts();
        const hot = await overHttp(`/v1/subagents${query}`);
        expect(counts(), query).toEqual({ ...before, answered: before.answered + 1 });
        const routed = await throughFastify(`/v1/subagents${query}`);
        expect(hot.status, query).toBe(200);
        expect(hot.body, query).toEqual(routed.body);
      }
    });

    it('hands every unusual request to the Fastify route, which answers it as always', async () => {
      const live = { authorization: `Bearer ${test.keys.live}` };
      const cases: { url: string; headers: Record<string, string>; status: number }[] = [
        { url: '/v1/tasks/task_doesnotexist', headers: live, status: 404 },
        { url: `/v1/tasks/${taskId}`, headers: {}, status: 401 },
        {
          url: `/v1/tasks/${taskId}`,
          headers: { authorization: 'Bearer pk_live_nope' },
          status: 401,
        },
        { url: `/v1/tasks/${taskId}`, headers: { authorization: 'Basic abc' }, status: 401 },
        { url: `/v1/tasks/${taskId}?verbose=1`, headers: live, status: 200 },
        { url: `/v1/tasks/${taskId}/`, headers: live, status: 200 },
        { url: `/v1/tasks/%74${taskId.slice(1)}`, headers: live, status: 200 },
        { url: '/v1/subagents?limit=0', headers: live, status: 400 },
        { url: '/v1/subagents?limit=1&limit=2', headers: live, status: 400 },
        { url: '/v1/subagents?type=prebuilt%20', headers: live, status: 400 },
        { url: '/v1/subagents?limit', headers: live, status: 400 },
      ];
      for (const { url, headers, status } of cases) {
        const before = counts();
        const hot = await overHttp(url, headers);
        expect(counts().answered, url).toBe(before.answered);
        const routed = await throughFastify(url, headers);
        expect(hot.status, url).toBe(status);
        expect(routed.status, url).toBe(status);
        expect(hot.body, url).toEqual(routed.body);
      }
    });

    it('takes exactly one token per request, whichever path answers it', async () => {
      const key = (await test.cadre.apiKeys.createKey({ environment: 'live' })).key;
      const auth = { authorization: `Bearer ${key}` };
      const remaining: number[] = [];
      for (const url of [`/v1/tasks/${taskId}`, '/v1/tasks/task_missing', `/v1/tasks/${taskId}`]) {
        remaining.push(parseRateLimit((await overHttp(url, auth)).headers.ratelimit).remaining);
      }
      expect(remaining).toEqual([BURST - 1, BURST - 2, BURST - 3]);
    });

    it('hands an empty bucket to the route, which answers 429 with Retry-After', async () => {
      const key = (await test.cadre.apiKeys.createKey({ environment: 'live' })).key;
      const auth = { authorization: `Bearer ${key}` };
      const burst = Array.from({ length: BURST }, () => overHttp(`/v1/tasks/${taskId}`, auth));
      expect((await Promise.all(burst)).every((answer) => answer.status === 200)).toBe(true);
      const limited = await overHttp(`/v1/tasks/${taskId}`, auth);
      expect(limited.status).toBe(429);
      expect((limited.body as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
      expect(parseRetryAfter(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('refuses a revoked key on the very next hot read', async () => {
      const created = await test.cadre.apiKeys.createKey({ environment: 'live' });
      const auth = { authorization: `Bearer ${created.key}` };
      expect((await overHttp(`/v1/tasks/${taskId}`, auth)).status).toBe(200);
      expect(await test.cadre.apiKeys.revokeKey(created.id)).toBe(true);
      const refused = await overHttp(`/v1/tasks/${taskId}`, auth);
      expect(refused.status).toBe(401);
      expect((refused.body as { error: { code: string } }).error.code).toBe('invalid_api_key');
    });

    it('answers another project’s task 404, as the route does', async () => {
      const other = await test.cadre.apiKeys.createKey({ project: 'other', environment: 'live' });
      const answer = await overHttp(`/v1/tasks/${taskId}`, {
        authorization: `Bearer ${other.key}`,
      });
      expect(answer.status).toBe(404);
      expect((answer.body as { error: { code: string } }).error.code).toBe('task_not_found');
    });

    /** Marks the task complete through a connection of its own, as another process would. */
    async function completeElsewhere(id: string, result: unknown): Promise<void> {
      const values = [JSON.stringify(result), clock.now(), id];
      if (postgres === undefined) {
        const other = new BetterSqlite3(path.join(test.dataDir, 'cadre.db'));
        try {
          other
            .prepare(
              "update tasks set status = 'complete', result = ?, completed_at = ? where id = ?",
            )
            .run(...values);
        } finally {
          other.close();
        }
        return;
      }
      const other = new pg.Client({ connectionString: postgres.url });
      await other.connect();
      try {
        await other.query(
          "update tasks set status = 'complete', result = $1, completed_at = $2 where id = $3",
          values,
        );
      } finally {
        await other.end();
      }
    }

    it('reuses a body while the database is unchanged, and reads again after any commit', async () => {
      const id = await createTask(test, { prompt: 'Sync deals', sub_agent: 'crm-agent' });
      const url = `/v1/tasks/${id}`;
      const first = await overHttp(url);
      const before = counts();
      const again = await overHttp(url);
      // Reused only on SQLite, which has a change counter; PostgreSQL reads every time.
      const reuse = backend === 'sqlite' ? 1 : 0;
      expect(counts()).toEqual({
        ...before,
        answered: before.answered + 1,
        reused: before.reused + reuse,
      });
      expect(again.body).toEqual(first.body);
      expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
      expect(parseRateLimit(again.headers.ratelimit).remaining).toBe(
        parseRateLimit(first.headers.ratelimit).remaining - 1,
      );

      // A commit by another connection (another process, say): the very next read sees it.
      await completeElsewhere(id, { deals: 3 });
      const changed = await overHttp(url);
      expect(changed.body).toMatchObject({ id, status: 'complete', result: { deals: 3 } });
      expect(changed.body).toEqual((await throughFastify(url)).body);
      expect(counts().reused).toBe(before.reused + reuse);
    });

    it('keeps reused bodies apart by project and environment', async () => {
      const other = await test.cadre.apiKeys.createKey({ project: 'other', environment: 'live' });
      const keys = [test.keys.live, test.keys.test, other.key];
      // Three rounds of the three keys. The first uses of keys commit (`last_used_at`), so by
      // the last round nothing has committed since the round before: on SQLite, every 200 of
      // it (three lists, one task) is a kept body, and each must still be the route's answer.
      for (const [url, reusable] of [
        ['/v1/subagents', 3],
        [`/v1/tasks/${taskId}`, 1],
      ] as const) {
        let reusedBefore = 0;
        let answers: Answer[] = [];
        for (let round = 1; round <= 3; round += 1) {
          reusedBefore = counts().reused;
          answers = [];
          for (const key of keys) {
            const headers = { authorization: `Bearer ${key}` };
            const hot = await overHttp(url, headers);
            expect(hot.body, url).toEqual((await throughFastify(url, headers)).body);
            answers.push(hot);
          }
        }
        expect(counts().reused - reusedBefore, url).toBe(backend === 'sqlite' ? reusable : 0);
        // The live list has crm-agent and the others do not; the task is the live project's.
        expect(answers[0]?.body, url).not.toEqual(answers[1]?.body);
        expect(answers[0]?.status, url).toBe(200);
        expect(answers[1]?.status, url).toBe(url === '/v1/subagents' ? 200 : 404);
        expect(answers[2]?.status, url).toBe(url === '/v1/subagents' ? 200 : 404);
      }
    });

    it('gives the route’s answer for any generated path, query and key', async () => {
      const segment = fc.stringMatching(/^[\w.~%-]{0,12}$/);
      const queryPart = fc.tuple(
        fc.constantFrom('limit', 'offset', 'type', 'x', 'limit'),
        fc.oneof(fc.constantFrom('1', '0', '100', '101', 'custom', 'prebuilt', ''), segment),
      );
      const request = fc.record({
        path: fc.oneof(
          fc.constant('/v1/subagents'),
          fc.constant(`/v1/tasks/TASK`),
          segment.map((id) => `/v1/tasks/${id}`),
        ),
        query: fc.array(queryPart, { maxLength: 3 }),
        auth: fc.constantFrom('live', 'test', 'none', 'garbage'),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ path, query, auth }) => {
          clock.advance(3_600_000);
          const url =
            path.replace('TASK', taskId) +
            (query.length === 0
              ? ''
              : `?${query.map(([name, value]) => `${name}=${value}`).join('&')}`);
          const headers: Record<string, string> =
            auth === 'none'
              ? {}
              : { authorization: auth === 'garbage' ? 'Bearer x' : `Bearer ${test.keys[auth]}` };
          const hot = await overHttp(url, headers);
          clock.advance(3_600_000);
          const routed = await throughFastify(url, headers);
          expect(hot.status, url).toBeLessThan(500);
          expect(hot.status, url).toBe(routed.status);
          expect(hot.body, url).toEqual(routed.body);
        }),
        { numRuns: 300 },
      );
    });
  },
);
