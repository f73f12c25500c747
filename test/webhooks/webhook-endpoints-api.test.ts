import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';

const PUBLIC_URL = 'https://hooks.example.com/ploton';

describe('webhook endpoints API', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({ CADRE_ALLOW_PRIVATE_HOSTS: '127.0.0.1:9' }, { role: 'api' });
  });
  afterAll(() => api?.close());

  const create = (body: unknown, key?: string) =>
    api.request({ method: 'POST', url: '/v1/webhook_endpoints', body, ...(key ? { key } : {}) });

  it('creates an endpoint and shows its whsec_ secret in that answer only', async () => {
    const created = await create({ url: PUBLIC_URL, description: 'CRM pipeline' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^we_/),
      url: PUBLIC_URL,
      description: 'CRM pipeline',
      status: 'enabled',
      source: 'api',
      events: ['task.complete', 'task.failed', 'task.progress', 'task.waiting', 'task.cancelled'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const fetched = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${created.body.id}`,
    });
    expect(fetched.status).toBe(200);
    expect(fetched.body.secret).toBeUndefined();
    const listed = await api.request({ method: 'GET', url: '/v1/webhook_endpoints' });
    expect(listed.body.data.map((endpoint: any) => endpoint.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
  });

  it('stores the secret only sealed', async () => {
    const created = await create({ url: `${PUBLIC_URL}/sealed` });
    const rows = await api.base.cadre.database.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', created.body.id)
      .execute();
    const dump = JSON.stringify(rows);
    const secret: string = created.body.secret;
    for (let start = 0; start + 12 <= secret.length; start += 4) {
      expect(dump).not.toContain(secret.slice(start, start + 12));
    }
    expect(JSON.parse(rows[0]!.secret)).toEqual(
      expect.objectContaining({
        kid: expect.any(String),
        iv: expect.any(String),
        tag: expect.any(String),
      }),
    );
  });

  it('keeps the chosen events and refuses unknown or repeated ones', async () => {
    const created = await create({ url: PUBLIC_URL, events: ['task.failed', 'task.running'] });
    expect(created.body.events).toEqual(['task.failed', 'task.running']);
    for (const events of [['task.exploded'], [], ['task.failed', 'task.failed']]) {
      const refused = await create({ url: PUBLIC_URL, events });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_request');
    }
  });

  it.each([
    ['a loopback address', 'http://127.0.0.1:8080/hook', /CADRE_ALLOW_PRIVATE_HOSTS/],
    ['localhost', 'http://localhost/hook', /loopback/],
    ['the cloud metadata address', 'http://169.254.169.254/latest', /metadata/],
    ['a private network address', 'https://10.1.2.3/hook', /private/],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['a decimal IPv4 loopback', 'http://2130706433/hook', /loopback/],
    ['a non-HTTP scheme', 'ftp://hooks.example.com/x', /http/],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/x', /credentials/],
    ['text that is not a URL', 'not a url', /absolute/],
  ])('refuses %s as the url, naming the param', async (_what, url, message) => {
    const refused = await create({ url });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_request', param: 'url' });
    expect(refused.body.error.message).toMatch(message);
  });

  it('accepts a private address the operator allowlisted in CADRE_ALLOW_PRIVATE_HOSTS', async () => {
    const created = await create({ url: 'http://127.0.0.1:9/hook' });
    expect(created.status).toBe(201);
    const otherPort = await create({ url: 'http://127.0.0.1:10/hook' });
    expect(otherPort.status).toBe(400);
  });

  it('updates url, events, description and status', async () => {
    const created = await create({ url: PUBLIC_URL });
    const id = created.body.id as string;
    const updated = await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${id}`,
      body: { url: `${PUBLIC_URL}/v2`, events: ['task.complete'], description: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      url: `${PUBLIC_URL}/v2`,
      events: ['task.complete'],
      description: null,
    });
    const disabled = await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${id}`,
      body: { status: 'disabled' },
    });
    expect(disabled.body).toMatchObject({
      status: 'disabled',
      disabled_reason: 'Disabled through the API.',
    });
    const refused = await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${id}`,
      body: { url: 'http://10.0.0.1/' },
    });
    expect(refused.status).toBe(400);
    const empty = await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${id}`,
      body: {},
    });
    expect(empty.status).toBe(400);
  });

  it('rotates the secret: a new one, shown once, and the old one signing until the grace period ends', async () => {
    const created = await create({ url: PUBLIC_URL });
    const rotated = await api.request({
      method: 'POST',
      url: `/v1/webhook_endpoints/${created.body.id}/rotate_secret`,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    expect(expires - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const tooLong = await api.request({
      method: 'POST',
      url: `/v1/webhook_endpoints/${created.body.id}/rotate_secret`,
      body: { grace_period_seconds: 8 * 24 * 3600 },
    });
    expect(tooLong.status).toBe(400);
  });

  it('deletes an endpoint with its delivery log', async () => {
    const created = await create({ url: PUBLIC_URL });
    const deleted = await api.request({
      method: 'DELETE',
      url: `/v1/webhook_endpoints/${created.body.id}`,
    });
    expect(deleted.body).toMatchObject({ id: created.body.id, status: 'deleted' });
    const gone = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${created.body.id}`,
    });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('webhook_endpoint_not_found');
  });

  it('hides endpoints and deliveries from another project and from the test environment', async () => {
    const created = await create({ url: PUBLIC_URL });
    const other = await api.createKey({ project: 'webhook-other', environment: 'live' });
    for (const key of [other, api.keys.test]) {
      for (const [method, url] of [
        ['GET', `/v1/webhook_endpoints/${created.body.id}`],
        ['PATCH', `/v1/webhook_endpoints/${created.body.id}`],
        ['DELETE', `/v1/webhook_endpoints/${created.body.id}`],
        ['POST', `/v1/webhook_endpoints/${created.body.id}/rotate_secret`],
        ['GET', `/v1/webhook_endpoints/${created.body.id}/deliveries`],
      ] as const) {
        const response = await api.request({
          method,
          url,
          key,
          ...(method === 'PATCH' ? { body: { description: 'x' } } : {}),
        });
        expect(response.status, `${method} ${url}`).toBe(404);
      }
      const list = await api.request({ method: 'GET', url: '/v1/webhook_endpoints', key });
      expect(list.body.data.map((endpoint: any) => endpoint.id)).not.toContain(created.body.id);
    }
  });

  it('answers 404 for an unknown delivery, and lists an endpoint without deliveries as empty', async () => {
    const created = await create({ url: PUBLIC_URL });
    const list = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${created.body.id}/deliveries?status=failed&event_type=task.failed`,
    });
    expect(list.body).toEqual({ data: [], has_more: false });
    for (const [method, suffix] of [
      ['GET', ''],
      ['POST', '/redeliver'],
    ] as const) {
      const missing = await api.request({
        method,
        url: `/v1/webhook_endpoints/${created.body.id}/deliveries/whd_missing${suffix}`,
      });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('webhook_delivery_not_found');
    }
  });

  it('lists endpoints newest first with exact has_more', async () => {
    const key = await api.createKey({ project: 'webhook-paging', environment: 'live' });
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push((await create({ url: `${PUBLIC_URL}/${index}` }, key)).body.id);
    }
    const first = await api.request({ method: 'GET', url: '/v1/webhook_endpoints?limit=2', key });
    expect(first.body.data.map((endpoint: any) => endpoint.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.has_more).toBe(true);
    const rest = await api.request({
      method: 'GET',
      url: '/v1/webhook_endpoints?limit=2&offset=2',
      key,
    });
    expect(rest.body.data.map((endpoint: any) => endpoint.id)).toEqual([ids[0]]);
    expect(rest.body.has_more).toBe(false);
  });
});

describe('the endpoint CADRE_WEBHOOK_URL configures', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre(
      { CADRE_WEBHOOK_URL: PUBLIC_URL, CADRE_WEBHOOK_SECRET: secret },
      { role: 'api' },
    );
  });
  afterAll(() => api?.close());

  it('appears in every project as a read-only endpoint without its secret', async () => {
    const other = await api.createKey({ project: 'configured-other', environment: 'live' });
    for (const key of [api.keys.live, api.keys.test, other]) {
      const list = await api.request({ method: 'GET', url: '/v1/webhook_endpoints', key });
      expect(list.body.data).toEqual([
        expect.objectContaining({
          id: 'we_config',
          url: PUBLIC_URL,
          source: 'config',
          status: 'enabled',
        }),
      ]);
      expect(JSON.stringify(list.body)).not.toContain(secret.slice(6, 20));
    }
    for (const [method, url] of [
      ['PATCH', '/v1/webhook_endpoints/we_config'],
      ['DELETE', '/v1/webhook_endpoints/we_config'],
      ['POST', '/v1/webhook_endpoints/we_config/rotate_secret'],
    ] as const) {
      const refused = await api.request({
        method,
        url,
        ...(method === 'PATCH' ? { body: { status: 'disabled' } } : {}),
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('webhook_endpoint_readonly');
      expect(refused.body.error.message).toMatch(/CADRE_WEBHOOK_URL/);
    }
  });
});
