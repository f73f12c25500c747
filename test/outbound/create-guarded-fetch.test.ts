import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createGuardedFetch,
  OutboundBlockedError,
  OutboundRedirectError,
  type ResolveHost,
} from '../../src/outbound/index.js';
import { startLoopbackServer, type LoopbackServer } from './start-loopback-server.js';

let canary: LoopbackServer;
let trusted: LoopbackServer;
let alsoTrusted: LoopbackServer;

beforeAll(async () => {
  canary = await startLoopbackServer((_request, response) => response.end('leaked'));
  trusted = await startLoopbackServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://placeholder');
    const location = target.searchParams.get('to');
    if (location !== null) {
      response.writeHead(Number(target.searchParams.get('status') ?? 302), { location });
      response.end();
      return;
    }
    if (target.pathname === '/loop') {
      response.writeHead(302, { location: '/loop' });
      response.end();
      return;
    }
    response.setHeader('content-type', 'text/plain');
    response.end(`hello from ${request.method ?? ''} ${target.pathname}`);
  });
  alsoTrusted = await startLoopbackServer((request, response) => {
    response.end(`second server saw ${request.method ?? ''}`);
  });
});

afterAll(async () => {
  await Promise.all([canary.close(), trusted.close(), alsoTrusted.close()]);
});

beforeEach(() => {
  canary.requests.length = 0;
  trusted.requests.length = 0;
  alsoTrusted.requests.length = 0;
});

function fetchAllowing(...hosts: string[]) {
  return createGuardedFetch({ dangerouslyAllowPrivateHosts: hosts });
}

describe('createGuardedFetch', () => {
  it.each([
    ['loopback IPv4', 'http://127.0.0.1:{port}/'],
    ['localhost', 'http://localhost:{port}/'],
    ['a subdomain of localhost', 'http://api.localhost:{port}/'],
    ['loopback IPv6', 'http://[::1]:{port}/'],
    ['the unspecified IPv4 address', 'http://0.0.0.0:{port}/'],
    ['the unspecified IPv6 address', 'http://[::]:{port}/'],
    ['decimal loopback', 'http://2130706433:{port}/'],
    ['octal loopback', 'http://0177.0.0.1:{port}/'],
    ['hex loopback', 'http://0x7f.1:{port}/'],
    ['short loopback', 'http://127.1:{port}/'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:{port}/'],
    ['NAT64 loopback', 'http://[64:ff9b::7f00:1]:{port}/'],
    ['6to4 loopback', 'http://[2002:7f00:1::1]:{port}/'],
    ['a 10.x address', 'http://10.0.0.1:{port}/'],
    ['a 192.168.x address', 'http://192.168.0.1:{port}/'],
    ['a 172.16.x address', 'http://172.16.0.1:{port}/'],
    ['a CGNAT address', 'http://100.64.0.1:{port}/'],
    ['the AWS metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['the AWS IPv6 metadata address', 'http://[fd00:ec2::254]/latest/meta-data/'],
    ['the GCP metadata name', 'http://metadata.google.internal/computeMetadata/v1/'],
    ['a link-local IPv6 address', 'http://[fe80::1]:{port}/'],
    ['a multicast address', 'http://224.0.0.1:{port}/'],
    ['the broadcast address', 'http://255.255.255.255:{port}/'],
  ])('refuses %s before sending anything', async (_label, template) => {
    const guardedFetch = fetchAllowing();
    const url = template.replace('{port}', String(canary.port));
    await expect(guardedFetch(url)).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(canary.requests).toHaveLength(0);
  });

  it('explains which address was refused and how to allow it', async () => {
    const error = await fetchAllowing()(`http://2130706433:${canary.port}/`).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
    const blocked = error as OutboundBlockedError;
    expect(blocked.host).toBe('127.0.0.1');
    expect(blocked.address).toBe('127.0.0.1');
    expect(blocked.message).toContain('loopback');
    expect(blocked.message).toContain(`127.0.0.1:${canary.port}`);
    expect(blocked.message).toContain('CADRE_ALLOW_PRIVATE_HOSTS');
  });

  it('fetches from a private host allowlisted with its port', async () => {
    const response = await fetchAllowing(`127.0.0.1:${trusted.port}`)(`${trusted.origin}/page`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello from GET /page');
  });

  it('still refuses other ports of a host allowlisted with a port', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    await expect(guardedFetch(canary.origin)).rejects.toBeInstanceOf(OutboundBlockedError);
    expect(canary.requests).toHaveLength(0);
  });

  it('fetches from localhost when localhost is allowlisted', async () => {
    const response = await fetchAllowing('localhost')(`http://localhost:${trusted.port}/hi`);
    expect(await response.text()).toBe('hello from GET /hi');
  });

  it('refuses a redirect from an allowlisted server to a private address that is not', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    const target = encodeURIComponent(`http://127.0.0.1:${canary.port}/secret`);
    await expect(guardedFetch(`${trusted.origin}/?to=${target}`)).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    expect(trusted.requests).toHaveLength(1);
    expect(canary.requests).toHaveLength(0);
  });

  it('follows a redirect between allowlisted servers and reports the final URL', async () => {
    const guardedFetch = fetchAllowing(
      `127.0.0.1:${trusted.port}`,
      `127.0.0.1:${alsoTrusted.port}`,
    );
    const target = encodeURIComponent(`${alsoTrusted.origin}/landing`);
    const response = await guardedFetch(`${trusted.origin}/?to=${target}`);
    expect(await response.text()).toBe('second server saw GET');
    expect(response.url).toBe(`${alsoTrusted.origin}/landing`);
  });

  it('drops the Authorization header when a redirect changes origin', async () => {
    const guardedFetch = fetchAllowing(
      `127.0.0.1:${trusted.port}`,
      `127.0.0.1:${alsoTrusted.port}`,
    );
    const target = encodeURIComponent(`${alsoTrusted.origin}/`);
    await guardedFetch(`${trusted.origin}/?to=${target}`, {
      headers: { authorization: 'Bearer secret' },
    });
    expect(trusted.requests[0]?.headers.authorization).toBe('Bearer secret');
    expect(alsoTrusted.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('turns a POST into a GET without a body after a 303', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    const response = await guardedFetch(`${trusted.origin}/?to=%2Fdone&status=303`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await response.text()).toBe('hello from GET /done');
    expect(trusted.requests[1]?.headers['content-type']).toBeUndefined();
  });

  it('keeps the method and body across a 307', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    const response = await guardedFetch(`${trusted.origin}/?to=%2Fagain&status=307`, {
      method: 'PUT',
      body: 'payload',
    });
    expect(await response.text()).toBe('hello from PUT /again');
    expect(trusted.requests[1]?.body).toBe('payload');
  });

  it('stops after the maximum number of redirects', async () => {
    const guardedFetch = createGuardedFetch({
      dangerouslyAllowPrivateHosts: [`127.0.0.1:${trusted.port}`],
      maxRedirects: 3,
    });
    await expect(guardedFetch(`${trusted.origin}/loop`)).rejects.toBeInstanceOf(
      OutboundRedirectError,
    );
    expect(trusted.requests).toHaveLength(4);
  });

  it('returns the redirect itself when the caller asks for manual redirects', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    const response = await guardedFetch(`${trusted.origin}/loop`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/loop');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const guardedFetch = fetchAllowing(`127.0.0.1:${trusted.port}`);
    const target = encodeURIComponent('file:///etc/passwd');
    await expect(guardedFetch(`${trusted.origin}/?to=${target}`)).rejects.toBeInstanceOf(
      OutboundRedirectError,
    );
  });

  it('refuses URLs that are not http or https', async () => {
    await expect(fetchAllowing()('file:///etc/passwd')).rejects.toThrow(/http/);
  });

  it('refuses at connect time a hostname whose DNS answer is private', async () => {
    const lookups: string[] = [];
    const resolveHost: ResolveHost = (hostname) => {
      lookups.push(hostname);
      return Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    };
    const guardedFetch = createGuardedFetch({ dangerouslyAllowPrivateHosts: [], resolveHost });
    const error = await guardedFetch(`http://innocent.example:${canary.port}/`).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OutboundBlockedError);
    expect((error as OutboundBlockedError).address).toBe('127.0.0.1');
    expect(lookups).toContain('innocent.example');
    expect(canary.requests).toHaveLength(0);
  });

  it('refuses a DNS answer that mixes a public and a private address', async () => {
    const resolveHost: ResolveHost = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    const guardedFetch = createGuardedFetch({ dangerouslyAllowPrivateHosts: [], resolveHost });
    await expect(guardedFetch(`http://mixed.example:${canary.port}/`)).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    expect(canary.requests).toHaveLength(0);
  });

  it('refuses a hostname resolving to an IPv4-mapped loopback address', async () => {
    const resolveHost: ResolveHost = () =>
      Promise.resolve([{ address: '::ffff:127.0.0.1', family: 6 }]);
    const guardedFetch = createGuardedFetch({ dangerouslyAllowPrivateHosts: [], resolveHost });
    await expect(guardedFetch(`http://mapped.example:${canary.port}/`)).rejects.toBeInstanceOf(
      OutboundBlockedError,
    );
    expect(canary.requests).toHaveLength(0);
  });

  it('connects an allowlisted hostname to the private address it resolves to', async () => {
    const resolveHost: ResolveHost = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    const guardedFetch = createGuardedFetch({
      dangerouslyAllowPrivateHosts: ['internal.example'],
      resolveHost,
    });
    const response = await guardedFetch(`http://internal.example:${trusted.port}/inside`);
    expect(await response.text()).toBe('hello from GET /inside');
  });

  it('rejects with the abort reason when the caller aborts a pending request', async () => {
    let received: () => void = () => undefined;
    const requestReceived = new Promise<void>((resolve) => {
      received = resolve;
    });
    const silent = await startLoopbackServer(() => {
      received();
    });
    try {
      const controller = new AbortController();
      const guardedFetch = fetchAllowing(`127.0.0.1:${silent.port}`);
      const pending = guardedFetch(silent.origin, { signal: controller.signal });
      await requestReceived;
      controller.abort(new Error('caller gave up'));
      await expect(pending).rejects.toThrow('caller gave up');
    } finally {
      await silent.close();
    }
  });
});
