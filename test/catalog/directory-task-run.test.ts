import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildDirectoryIndex,
  directoryIndexFileName,
  findDirectoryPackage,
} from '../../src/directory/index.js';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';
import { startUpstreamServer, type UpstreamServer } from '../tools/http/start-upstream-server.js';

/** A directory spec of a fictional vendor, served by a loopback upstream. */
function acmeSpec(origin: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'Acme Parcels API', version: '1.0.0', 'x-apisguru-categories': ['ecommerce'] },
    servers: [{ url: `${origin}/v1` }],
    components: {
      securitySchemes: {
        acmeOAuth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://auth.acme.example/authorize',
              tokenUrl: 'https://auth.acme.example/token',
              scopes: { 'parcels:read': 'Read parcels' },
            },
          },
        },
      },
      schemas: {
        Parcel: {
          type: 'object',
          properties: { id: { type: 'string' }, status: { type: 'string' } },
        },
      },
    },
    paths: {
      '/parcels/{parcelId}': {
        get: {
          operationId: 'trackParcel',
          summary: 'Track a parcel by its id',
          parameters: [
            { name: 'parcelId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'The parcel',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Parcel' } } },
            },
          },
        },
      },
    },
  };
}

describe('a task calling a tool of the public directory', () => {
  let folder: string;
  let upstream: UpstreamServer;
  let t: TestCadre | undefined;

  beforeEach(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'cadre-directory-task-'));
    upstream = await startUpstreamServer(() => ({ body: { id: 'p_42', status: 'delivered' } }));
    // The index a `cadre catalog build` of a one-spec directory would write.
    const specRoot = path.join(folder, 'api');
    mkdirSync(specRoot, { recursive: true });
    writeFileSync(
      path.join(specRoot, 'acme.example.json'),
      JSON.stringify(acmeSpec(upstream.origin)),
    );
    const { version } = findDirectoryPackage();
    buildDirectoryIndex({
      specRoot,
      directoryVersion: version,
      file: path.join(folder, 'catalog', directoryIndexFileName(version)),
    });
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await upstream.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs it through the HTTP executor against the spec server, traced as toolkit and operation', async () => {
    const model = scriptedMockModel((_options, index) =>
      index === 0
        ? { toolCalls: [{ name: 'acme__trackParcel', input: { parcelId: 'p_42' } }] }
        : { text: '{"status": "delivered"}' },
    );
    t = await startTestCadre(
      {
        CADRE_CATALOG_DIR: path.join(folder, 'catalog'),
        CADRE_ALLOW_PRIVATE_HOSTS: upstream.hostPort,
      },
      { model },
    );
    await deploy(t, 'parcel-agent', 'Track parcels with Acme.');
    const deployed = await t.request({ method: 'GET', url: '/v1/subagents/parcel-agent' });
    expect(deployed.body.tools).toContain('acme__trackParcel');

    const id = await createTask(t, { prompt: 'Where is parcel p_42?', sub_agent: 'parcel-agent' });
    const task = await waitForTask(t, id);
    expect(task.status).toBe('complete');
    expect(task.result).toEqual({ status: 'delivered' });
    expect(upstream.requests).toEqual([
      expect.objectContaining({ method: 'GET', url: '/v1/parcels/p_42' }),
    ]);

    const trace = await getTrace(t, id);
    expect(trace.steps.find((step: { tool: string }) => step.tool === 'acme')).toMatchObject({
      action: 'trackParcel',
      status: 'complete',
    });
    const model0 = JSON.stringify(model.doGenerateCalls[0]?.tools);
    expect(model0).toContain('acme__trackParcel');
    expect(model0).toContain('parcelId');
  });
});
