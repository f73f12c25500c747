import http from 'node:http';

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  messages: SseMessage[];
  /** Resolves with the next message not yet taken, or undefined when the stream ended. */
  next(): Promise<SseMessage | undefined>;
  /** Resolves when the server ends the stream; rejects on a network error. */
  ended: Promise<void>;
  /** The raw body (for non-stream answers such as 404). */
  text(): string;
  close(): void;
}

/**
 * A real HTTP client for server-sent events (node:http, no EventSource shim): parses the
 * stream as the WHATWG spec does for `id`, `event` and `data` fields, ignoring comments.
 */
export function openEventStream(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers } });
    request.on('error', reject);
    request.on('response', (response) => {
      const messages: SseMessage[] = [];
      const waiters: ((message: SseMessage | undefined) => void)[] = [];
      let taken = 0;
      let buffer = '';
      let raw = '';
      let done = false;
      let endResolve!: () => void;
      let endReject!: (error: Error) => void;
      const ended = new Promise<void>((resolveEnd, rejectEnd) => {
        endResolve = resolveEnd;
        endReject = rejectEnd;
      });
      ended.catch(() => undefined);
      const deliver = () => {
        while (waiters.length > 0 && (taken < messages.length || done)) {
          const waiter = waiters.shift()!;
          waiter(taken < messages.length ? messages[taken++] : undefined);
        }
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const message: SseMessage = { id: undefined, event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line === '') continue;
            const colon = line.indexOf(':');
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') message.id = value;
            else if (field === 'event') message.event = value;
            else if (field === 'data') {
              message.data = hasData ? `${message.data}\n${value}` : value;
              hasData = true;
            }
          }
          if (hasData) messages.push(message);
          boundary = buffer.indexOf('\n\n');
        }
        deliver();
      });
      response.on('end', () => {
        done = true;
        deliver();
        endResolve();
      });
      response.on('error', (error) => {
        done = true;
        deliver();
        endReject(error);
      });
      response.on('close', () => {
        done = true;
        deliver();
        endResolve();
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        messages,
        next: () =>
          new Promise((resolveNext) => {
            waiters.push(resolveNext);
            deliver();
          }),
        ended,
        text: () => raw,
        close: () => request.destroy(),
      });
    });
  });
}
