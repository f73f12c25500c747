import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type FakeHandler = (
  request: FakeRequest,
  hit: number,
) =>
  | { status?: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | Promise<{
      status?: number;
      body?: unknown;
      headers?: Record<string, string>;
      delayMs?: number;
    }>;

export interface FakeService {
  url: string;
  /** `host:port`, for CADRE_ALLOW_PRIVATE_HOSTS. */
  hostPort: string;
  requests: FakeRequest[];
  hits(path: string): number;
  close(): Promise<void>;
}

/** A real HTTP service on loopback that tools call; it counts every request it receives. */
export async function startFakeService(routes: Record<string, FakeHandler>): Promise<FakeService> {
  const requests: FakeRequest[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const path = (request.url ?? '/').split('?')[0] ?? '/';
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          // keep text
        }
        const entry: FakeRequest = {
          method: request.method ?? 'GET',
          path,
          headers: request.headers,
          body,
        };
        requests.push(entry);
        const hit = (counts.get(path) ?? 0) + 1;
        counts.set(path, hit);
        const handler = routes[`${entry.method} ${path}`] ?? routes[path];
        if (handler === undefined) {
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: 'not found' }));
          return;
        }
        const reply = await handler(entry, hit);
        if (reply.delayMs !== undefined)
          await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          ...reply.headers,
        });
        response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      })();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
