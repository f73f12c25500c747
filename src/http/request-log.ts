import type { FastifyBaseLogger } from 'fastify';
import { symbols, type Logger } from 'pino';

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

/** What a pino logger has, to write a line as its `info` would. */
interface PinoParts extends Pick<Logger, 'isLevelEnabled' | 'levels'> {
  [symbols.streamSym]: { write(line: string): void; [symbols.needsMetadataGsym]?: boolean };
  [symbols.timeSym]: () => string;
  [symbols.chindingsSym]: string;
}

/**
 * The request line is the one line every request writes, so it is assembled here from pino's
 * own parts (its time field, bindings and stream) in the order pino writes them, instead of
 * through pino's generic walk over the fields: the same line for less work. A stream that
 * wants pino's per-line metadata (a multistream) gets the line from pino itself.
 */
export function createRequestLog(logger: FastifyBaseLogger): RequestLog {
  // The line's fields are fixed and never secret, so it is written by a logger without the
  // redaction paths: their wildcards would walk every field of every line for nothing.
  // Errors and everything else still go through `request.log`, redacted.
  const requestLog = logger.child({}, { redact: [] });
  const pino = requestLog as unknown as Partial<PinoParts>;
  const stream = pino[symbols.streamSym];
  const time = pino[symbols.timeSym];
  const bindings = pino[symbols.chindingsSym];
  const level = pino.levels?.values.info;
  const enabled = pino.isLevelEnabled?.bind(requestLog);
  const rounded = (ms: number) => Math.round(ms * 100) / 100;
  if (
    stream === undefined ||
    stream[symbols.needsMetadataGsym] === true ||
    time === undefined ||
    bindings === undefined ||
    level === undefined ||
    enabled === undefined
  ) {
    return (entry) =>
      requestLog.info({ ...entry, durationMs: rounded(entry.durationMs) }, 'request');
  }
  return (entry) => {
    if (!enabled('info')) return;
    stream.write(
      `{"level":${level}${time()}${bindings},"reqId":${JSON.stringify(entry.reqId)},` +
        `"method":${JSON.stringify(entry.method)},"url":${JSON.stringify(entry.url)},` +
        `"statusCode":${entry.statusCode},"durationMs":${rounded(entry.durationMs)}` +
        `${entry.keyId === undefined ? '' : `,"keyId":${JSON.stringify(entry.keyId)}`},` +
        `"msg":"request"}\n`,
    );
  };
}
