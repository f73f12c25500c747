import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the scripted model answers for one Chat Completions request. */
export type ScriptedReply =
  | { text: string }
  | { toolCalls: { name: string; arguments: unknown }[]; text?: string }
  | { status: number; body?: string; headers?: Record<string, string> }
  | { raw: string }
  | { hang: true };

export interface ChatRequest {
  model: string;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: {
    type: string;
    function: { name: string; description?: string; parameters?: unknown };
  }[];
}

export interface ScriptedModelServer {
  baseUrl: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

/**
 * A local OpenAI-compatible Chat Completions server whose replies come from a script, so the
 * real provider code path (HTTP, JSON, tool-call parsing) runs in tests.
 */
export async function startScriptedModelServer(
  script: (request: ChatRequest, index: number) => ScriptedReply | Promise<ScriptedReply>,
  options: { delayMs?: number } = {},
): Promise<ScriptedModelServer> {
  const requests: ChatRequest[] = [];
  let calls = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
        requests.push(body);
        const reply = await script(body, calls++);
        if (options.delayMs !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        }
        if ('hang' in reply) return;
        if ('status' in reply) {
          response.writeHead(reply.status, {
            'content-type': 'application/json',
            ...reply.headers,
          });
          response.end(reply.body ?? JSON.stringify({ error: { message: 'scripted failure' } }));
          return;
        }
        if ('raw' in reply) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(reply.raw);
          return;
        }
        const toolCalls =
          'toolCalls' in reply
            ? reply.toolCalls.map((call, index) => ({
                id: `call_${calls}_${index}`,
                type: 'function',
                function: { name: call.name, arguments: JSON.stringify(call.arguments) },
              }))
            : undefined;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: `chatcmpl-${calls}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: reply.text ?? null,
                  ...(toolCalls === undefined ? {} : { tool_calls: toolCalls }),
                },
                finish_reason: toolCalls === undefined ? 'stop' : 'tool_calls',
              },
            ],
            usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
          }),
        );
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
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
