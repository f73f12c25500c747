import type { FastifyBaseLogger } from 'fastify';

export interface RequestLogEntry {
  reqId: string;
  method: string;
  /** The route pattern (`/v1/tasks/:task_id`), or the path when no route matched. */
  url: string;
  statusCode: number;
  durationMs: number;
  keyId: string | undefined;
}

/** Writes the one line per request, whichever path answered it. */
export type RequestLog = (entry: RequestLogEntry) => void;

export function createRequestLog(logger: FastifyBaseLogger): RequestLog {
  // The line's fields are fixed and never secret, so it is written by a logger without the
  // redaction paths: their wildcards would walk every field of every line for nothing.
  // Errors and everything else still go through `request.log`, redacted.
  const requestLog = logger.child({}, { redact: [] });
  return (entry) => {
    entry.durationMs = Math.round(entry.durationMs * 100) / 100;
    requestLog.info(entry, 'request');
  };
}
