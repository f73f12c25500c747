import type { OutgoingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { EventBus, TaskEventLog } from '../events/index.js';
import type { App } from '../http/app-types.js';
import { ErrorResponseSchema, commonErrorResponses } from '../http/common-schemas.js';
import { requirePrincipal } from '../http/require-principal.js';
import { TaskParamsSchema } from './task-schemas.js';
import type { TaskService } from './task-service.js';
import { streamTaskEvents } from './stream-task-events.js';

const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['complete', 'failed', 'cancelled']);
const MAX_EVENT_ID_LENGTH = 200;

export interface TaskEventRouteOptions {
  log: TaskEventLog;
  bus: EventBus;
  heartbeatMs?: number;
  pollIntervalMs?: number;
}

/** `GET /v1/tasks/:task_id/events`: the task's events as server-sent events. */
export function registerTaskEventRoutes(
  app: App,
  tasks: TaskService,
  options: TaskEventRouteOptions,
): void {
  // Open streams would keep the server from closing: end them first (clients reconnect).
  const shutdown = new AbortController();
  app.addHook('preClose', (done) => {
    shutdown.abort();
    done();
  });

  app.get(
    '/v1/tasks/:task_id/events',
    {
      schema: {
        tags: ['Tasks'],
        summary: "Stream a task's events (server-sent events)",
        description:
          "A `text/event-stream` of the task's events in order: `task.running`, `task.progress` (one per finished model or tool step), `task.waiting`, and the terminal `task.complete`, `task.failed` or `task.cancelled`, after which the stream ends. Each message has `id` (the event id), `event` (its type) and `data` (the webhook envelope `{event, task_id, timestamp, data}`). Events already recorded are replayed first; send `Last-Event-ID` to resume after that event. Comment lines keep idle streams open.",
        params: TaskParamsSchema,
        response: {
          200: {
            description: 'The event stream',
            content: { 'text/event-stream': { schema: z.string() } },
          },
          ...commonErrorResponses,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const scope = requirePrincipal(request);
      const task = await tasks.get(scope, request.params.task_id);
      const lastEventId = request.headers['last-event-id'];
      let afterSeq = 0;
      if (typeof lastEventId === 'string' && lastEventId.length <= MAX_EVENT_ID_LENGTH) {
        // An id that is not this task's replays from the start: duplicates, never gaps.
        afterSeq = (await options.log.seqOf(task.id, lastEventId.trim())) ?? 0;
      }
      // The hooks' headers (request id, rate limit) were set on the reply; carry them over.
      const hookHeaders: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value !== undefined) hookHeaders[name] = value;
      }
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        ...hookHeaders,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Proxies such as nginx would otherwise hold events back in a buffer.
        'x-accel-buffering': 'no',
      });
      response.flushHeaders();
      try {
        await streamTaskEvents(
          response,
          { id: task.id, isTerminal: TERMINAL_STATUSES.has(task.status) },
          afterSeq,
          {
            log: options.log,
            bus: options.bus,
            heartbeatMs: options.heartbeatMs ?? 15_000,
            pollIntervalMs: options.pollIntervalMs ?? 1_000,
          },
          shutdown.signal,
        );
      } catch (error) {
        request.log.error({ err: error, taskId: task.id }, 'task event stream failed');
        response.destroy();
      }
    },
  );
}
