import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { freePort } from '../support/cadre-process.js';
import {
  everythingStdio,
  isProcessAlive,
  pidRecordingEverythingStdio,
  startEverythingHttpServer,
  type EverythingHttpServer,
  type PidRecordingServer,
} from '../tools/mcp/everything-server.js';

const ENV_SECRET = 'env-secret-3f8a1c9e7b';
const HEADER_SECRET = 'header-secret-9d2b6e4a1f';
const MISSING_COMMAND = '/nonexistent/bin/mcp-server';

/** What server-everything itself says it offers, asked with the SDK's own client. */
async function listServerTools(): Promise<{
  tools: Tool[];
  server: { name: string; title?: string; version: string };
}> {
  const client = new Client({ name: 'test', version: '0' });
  const { command, args } = everythingStdio();
  await client.connect(new StdioClientTransport({ command, args, stderr: 'ignore' }));
  try {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor });
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const server = client.getServerVersion();
    if (server === undefined) throw new Error('no server info');
    return { tools, server };
  } finally {
    await client.close();
  }
}

describe('POST /v1/toolkits with an MCP server', () => {
  let api: ApiHarness;
  let http: EverythingHttpServer;
  let reference: Awaited<ReturnType<typeof listServerTools>>;
  /** Every response body seen, to prove no secret ever leaves the server. */
  const seen: string[] = [];

  async function register(body: Record<string, unknown>) {
    const response = await api.request({ method: 'POST', url: '/v1/toolkits', body });
    seen.push(response.text);
    return response;
  }

  beforeAll(async () => {
    http = await startEverythingHttpServer();
    reference = await listServerTools();
    api = await startApiCadre(
      {
        CADRE_MCP_STDIO_COMMANDS: `${process.execPath},${MISSING_COMMAND}`,
        CADRE_ALLOW_PRIVATE_HOSTS: http.hostPort,
      },
      { role: 'api' },
    );
  });
  afterAll(async () => {
    for (const text of seen) {
      expect(text).not.toContain(ENV_SECRET);
      expect(text).not.toContain(HEADER_SECRET);
    }
    await api.close();
    await http.close();
  });

  function expectEveryServerTool(body: any, toolkit: string) {
    const callable = reference.tools.filter((tool) => tool.execution?.taskSupport !== 'required');
    expect(body.tools_count).toBe(callable.length);
    for (const serverTool of callable) {
      const tool = body.tools.find(
        (candidate: { action: string }) => candidate.action === serverTool.name,
      );
      expect(tool, serverTool.name).toMatchObject({
        name: `${toolkit}__${serverTool.name}`,
        description: serverTool.description,
        method: null,
        path: null,
        side_effects: serverTool.annotations?.readOnlyHint !== true,
        parameters: expect.objectContaining({ type: 'object' }),
      });
    }
    for (const skipped of reference.tools.filter(
      (tool) => tool.execution?.taskSupport === 'required',
    )) {
      expect(body.warnings).toContainEqual(
        expect.stringContaining(`'${skipped.name}' was skipped`),
      );
    }
  }

  describe('over stdio', () => {
    it('answers 201 with every tool the server lists, under its own name, bound for the MCP client', async () => {
      const response = await register({
        name: 'everything',
        mcp: { ...everythingStdio(), env: { DEMO_TOKEN: ENV_SECRET } },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        name: 'everything',
        source: 'mcp',
        base_url: null,
        version: reference.server.version,
        description: `Tools of the MCP server ${reference.server.title ?? reference.server.name}.`,
        auth: { type: 'none' },
        mcp: {
          transport: 'stdio',
          command: process.execPath,
          args: everythingStdio().args,
          env: ['DEMO_TOKEN'],
        },
      });
      expectEveryServerTool(response.body, 'everything');
      const echo = response.body.tools.find((tool: { action: string }) => tool.action === 'echo');
      expect(echo).toMatchObject({
        description: 'Echoes back the input string',
        side_effects: false,
        parameters: { type: 'object', required: ['message'] },
      });
      expect(response.body.tools.map((tool: { action: string }) => tool.action)).toContain(
        'get-sum',
      );
    });

    it('stores environment values sealed: neither the API nor the database row shows them', async () => {
      const fetched = await api.request({ method: 'GET', url: '/v1/toolkits/everything' });
      seen.push(fetched.text);
      expect(fetched.body.mcp.env).toEqual(['DEMO_TOKEN']);
      const rows = await api.base.cadre.database.db
        .selectFrom('toolkits')
        .select(['name', 'settings'])
        .where('name', '=', 'everything')
        .execute();
      expect(rows).toHaveLength(1);
      const stored = JSON.stringify(rows);
      expect(stored).toContain('DEMO_TOKEN');
      expect(stored).not.toContain(ENV_SECRET);
    });

    it('lets the description and version of the registration override the server’s', async () => {
      const response = await register({
        name: 'described',
        description: 'Demo tools for the test suite.',
        version: '9.9.9',
        mcp: everythingStdio(),
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        description: 'Demo tools for the test suite.',
        version: '9.9.9',
      });
    });

    it('answers 409 for a taken name without starting the server', async () => {
      const recording: PidRecordingServer = pidRecordingEverythingStdio();
      try {
        const response = await register({ name: 'everything', mcp: recording.mcp });
        expect(response.status).toBe(409);
        expect(response.body.error.code).toBe('toolkit_exists');
        expect(recording.pids()).toEqual([]);
      } finally {
        recording.cleanup();
      }
    });

    it('answers 422 with what the server wrote on stderr when it exits during the handshake', async () => {
      const response = await register({
        name: 'exits',
        mcp: {
          command: process.execPath,
          args: ['-e', "console.error('DEMO_TOKEN is not set'); process.exit(3)"],
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'invalid_toolkit', param: 'mcp.command' });
      expect(response.body.error.message).toContain('exited during the MCP handshake');
      expect(response.body.error.message).toContain('DEMO_TOKEN is not set');
      const fetched = await api.request({ method: 'GET', url: '/v1/toolkits/exits' });
      expect(fetched.status).toBe(404);
    });

    it('scrubs the toolkit environment values from what the failing server wrote', async () => {
      const response = await register({
        name: 'leaky',
        mcp: {
          command: process.execPath,
          args: [
            '-e',
            "console.error('rejected token ' + process.env.DEMO_TOKEN); process.exit(1)",
          ],
          env: { DEMO_TOKEN: ENV_SECRET },
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.message).toContain('rejected token [redacted]');
    });

    it('answers 422 when the command does not exist', async () => {
      const response = await register({ name: 'missing', mcp: { command: MISSING_COMMAND } });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'invalid_toolkit', param: 'mcp.command' });
      expect(response.body.error.message).toContain(
        `the command '${MISSING_COMMAND}' was not found`,
      );
    });

    it('answers 422 when the server writes something other than MCP on stdout', async () => {
      const response = await register({
        name: 'chatty',
        mcp: {
          command: process.execPath,
          args: ['-e', "console.log('starting up…'); process.exit(0)"],
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.message).toContain('something other than MCP messages on stdout');
    });

    it('answers 400 for a command the operator has not allowed, before running anything', async () => {
      const response = await register({
        name: 'shell',
        mcp: { command: 'sh', args: ['-c', 'id'] },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param: 'mcp.command' });
      expect(response.body.error.message).toContain("The command 'sh' is not allowed");
      expect(response.body.error.message).toContain('CADRE_MCP_STDIO_COMMANDS');
    });
  });

  describe('over Streamable HTTP', () => {
    it('answers 201 with every tool the server lists, showing header names but not their values', async () => {
      const response = await register({
        name: 'everything-http',
        mcp: {
          url: `${http.url}?workspace=${HEADER_SECRET}`,
          headers: { 'X-Api-Key': HEADER_SECRET },
        },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        source: 'mcp',
        base_url: null,
        mcp: { transport: 'streamable_http', url: http.url, headers: ['X-Api-Key'] },
      });
      expectEveryServerTool(response.body, 'everything-http');
      const rows = await api.base.cadre.database.db
        .selectFrom('toolkits')
        .select(['settings'])
        .where('name', '=', 'everything-http')
        .execute();
      expect(JSON.stringify(rows)).not.toContain(`"${HEADER_SECRET}"`);
    });

    it('answers 422 naming CADRE_ALLOW_PRIVATE_HOSTS for a loopback URL the operator has not allowed', async () => {
      const port = await freePort();
      const response = await register({
        name: 'private',
        mcp: { url: `http://127.0.0.1:${port}/mcp` },
      });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'invalid_toolkit', param: 'mcp.url' });
      expect(response.body.error.message).toContain('it is a loopback address');
      expect(response.body.error.message).toContain('CADRE_ALLOW_PRIVATE_HOSTS');
    });

    it('answers 422 for the cloud metadata address', async () => {
      const response = await register({
        name: 'metadata',
        mcp: { url: 'http://169.254.169.254/mcp' },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.message).toContain('cloud metadata service address');
    });

    it('answers 422 with the HTTP status when the URL is not an MCP endpoint', async () => {
      const response = await register({
        name: 'not-mcp',
        mcp: { url: http.url.replace(/\/mcp$/, '/nothing-here') },
      });
      expect(response.status).toBe(422);
      expect(response.body.error.message).toContain('answered HTTP 404');
      expect(response.body.error.message).toContain('Streamable HTTP endpoint');
    });
  });

  describe('validation', () => {
    it.each([
      [{ command: process.execPath, url: 'https://mcp.example.com/mcp' }, 'mcp.url', 'not both'],
      [{}, 'mcp.command', 'give `command`'],
      [{ url: 'https://user:pass@mcp.example.com/mcp' }, 'mcp.url', 'without credentials'],
      [{ url: 'ftp://mcp.example.com/mcp' }, 'mcp.url', 'absolute http(s) URL'],
      [
        { command: process.execPath, env: { NODE_OPTIONS: '--import=evil' } },
        'mcp.env',
        'how the server program is loaded',
      ],
      [
        { command: process.execPath, env: { LD_PRELOAD: '/tmp/evil.so' } },
        'mcp.env',
        'how the server program is loaded',
      ],
      [{ command: process.execPath, cwd: 'relative/dir' }, 'mcp.cwd', 'absolute path'],
      [{ command: process.execPath, headers: { 'X-Key': 'k' } }, 'mcp.headers', 'Streamable HTTP'],
      [{ url: 'https://mcp.example.com/mcp', args: ['--verbose'] }, 'mcp.args', 'stdio'],
      [
        { url: 'https://mcp.example.com/mcp', headers: { 'Mcp-Session-Id': 'x' } },
        'mcp.headers',
        'set by the MCP transport',
      ],
    ])('answers 400 for mcp %j', async (mcp, param, message) => {
      const response = await register({ name: 'invalid', mcp });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_request');
      expect(response.body.error.param).toMatch(new RegExp(`^${param.replace('.', '\\.')}`));
      expect(response.body.error.message).toContain(message);
    });

    it('answers 400 when mcp comes with auth, base_url or another source', async () => {
      const withAuth = await register({
        name: 'invalid',
        mcp: everythingStdio(),
        auth: { type: 'bearer', token: ENV_SECRET },
      });
      expect(withAuth.body.error).toMatchObject({ code: 'invalid_request', param: 'auth' });
      expect(withAuth.body.error.message).toContain('mcp.headers');
      const withBaseUrl = await register({
        name: 'invalid',
        mcp: everythingStdio(),
        base_url: 'https://api.example.com',
      });
      expect(withBaseUrl.body.error).toMatchObject({ code: 'invalid_request', param: 'base_url' });
      const withOpenApi = await register({ name: 'invalid', mcp: everythingStdio(), openapi: {} });
      expect(withOpenApi.body.error).toMatchObject({ code: 'invalid_request', param: 'mcp' });
    });
  });
});

describe('POST /v1/toolkits with an MCP server that never answers', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiCadre(
      { CADRE_MCP_STDIO_COMMANDS: '*', CADRE_TOOL_TIMEOUT_MS: '300' },
      { role: 'api' },
    );
  });
  afterAll(() => api.close());

  it('answers 422 when the handshake does not complete within CADRE_TOOL_TIMEOUT_MS, leaving no process behind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-mcp-'));
    const pidFile = path.join(dir, 'pid');
    try {
      const response = await api.request({
        method: 'POST',
        url: '/v1/toolkits',
        body: {
          name: 'silent',
          mcp: {
            command: process.execPath,
            args: [
              '-e',
              "require('node:fs').writeFileSync(process.env.PID_FILE, String(process.pid)); setInterval(() => {}, 1000)",
            ],
            env: { PID_FILE: pidFile },
          },
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'invalid_toolkit', param: 'mcp.command' });
      expect(response.body.error.message).toContain(
        'did not complete the MCP handshake within 0.3 s',
      );
      expect(isProcessAlive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
