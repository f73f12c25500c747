import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request as the receiver saw it: the raw body bytes, before any JSON parsing. */
export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: any;
  id: string;
}

/** What the receiver answers; `hold` keeps the request open until the test releases it. */
export interface ReceiverReply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  hold?: boolean;
  /** Answer after this long (a slow receiver). */
  delayMs?: number;
}

export interface WebhookReceiver {
  url: string;
  /** `host:port`, for CADRE_ALLOW_PRIVATE_HOSTS. */
  hostPort: string;
  /** Every request, in arrival order (retries and duplicates included). */
  requests: ReceivedWebhook[];
  /** Distinct event ids seen, with how many times each arrived. */
  counts(): Map<string, number>;
  /** Answers held requests (those the script asked to hold) with 200. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A real webhook receiver on 127.0.0.1. Each request is recorded raw; the script decides the
 * answer from the request and how many times its event id arrived before.
 */
export async function startWebhookReceiver(
  script: (request: ReceivedWebhook, seen: number) => ReceiverReply = () => ({ status: 200 }),
): Promise<WebhookReceiver> {
  const requests: ReceivedWebhook[] = [];
  const seen = new Map<string, number>();
  const held: http.ServerResponse[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const id = String(request.headers['webhook-id'] ?? '');
      const received: ReceivedWebhook = {
        path: request.url ?? '/',
        headers: request.headers,
        rawBody,
        body,
        id,
      };
      requests.push(received);
      const before = seen.get(id) ?? 0;
      seen.set(id, before + 1);
      const reply = script(received, before);
      if (reply.hold === true) {
        held.push(response);
        return;
      }
      const answer = () => {
        if (response.destroyed) return;
        response.writeHead(reply.status ?? 200, reply.headers ?? {});
        response.end(reply.body ?? '');
      };
      if (reply.delayMs === undefined) answer();
      else setTimeout(answer, reply.delayMs);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    counts: () => new Map(seen),
    release() {
      for (const response of held.splice(0)) {
        if (!response.destroyed) {
          response.writeHead(200);
          response.end();
        }
      }
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Standard Webhooks verification with the reference npm verifier; throws when it fails. */
export function verifyStandardWebhook(secret: string, received: ReceivedWebhook): unknown {
  return new Webhook(secret).verify(received.rawBody, {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  });
}

/**
 * Ploton's documented check, as a receiver would write it: the hex HMAC-SHA256 of the raw
 * body keyed with the `whsec_…` secret, compared in constant time.
 */
export function isPlotonSignatureValid(
  secret: string,
  rawBody: string,
  signature: string | string[] | undefined,
): boolean {
  if (typeof signature !== 'string') return false;
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
  const given = Buffer.from(signature, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}
