import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface UpstreamRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface UpstreamReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  delayMs?: number;
}

export interface UpstreamServer {
  origin: string;
  hostPort: string;
  requests: UpstreamRequest[];
  close(): Promise<void>;
}

/** A real HTTP service on 127.0.0.1 standing in for a toolkit's API; it records every request. */
export async function startUpstreamServer(
  reply: (request: UpstreamRequest) => UpstreamReply,
): Promise<UpstreamServer> {
  const requests: UpstreamRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: UpstreamRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const answer = reply(recorded);
      const send = () => {
        if (response.destroyed) return;
        const isText = typeof answer.body === 'string';
        response.writeHead(answer.status ?? 200, {
          'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
          ...answer.headers,
        });
        response.end(
          answer.body === undefined
            ? ''
            : isText
              ? (answer.body as string)
              : JSON.stringify(answer.body),
        );
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
