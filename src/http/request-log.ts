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

/** What a pino logger keeps, to write a line as its `info` would. */
interface PinoParts extends Pick<Logger, 'isLevelEnabled' | 'levels' | 'msgPrefix'> {
  [symbols.streamSym]: { write(line: string): void; [symbols.needsMetadataGsym]?: boolean };
  [symbols.timeSym]: () => string;
  [symbols.lsCacheSym]: Record<number, string>;
  [symbols.chindingsSym]: string;
  [symbols.endSym]: string;
  [symbols.mixinSym]?: unknown;
  [symbols.asJsonSym]: (object: object, message: string, level: number, time: string) => string;
}

const HOOKS = Symbol.for('pino.hooks');
const PROBES: RequestLogEntry[] = [
  { reqId: 'req_1', method: 'GET', url: '/v1/x', statusCode: 200, durationMs: 1.25, keyId: 'k' },
  { reqId: 'r', method: 'POST', url: '/a "b"', statusCode: 404, durationMs: 0, keyId: undefined },
];

const rounded = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The request line is the one line every request writes, so it is assembled here from pino's
 * own parts (level prefix, time, bindings, line end) instead of through pino's generic walk
 * over the fields: the same line for less work. It is used only if, for sample entries, it is
 * exactly the line pino builds itself, and no mixin, message prefix, write hook or metadata
 * stream is configured; otherwise every line goes through pino's `info`.
 */
export function createRequestLog(logger: FastifyBaseLogger): RequestLog {
  // The line's fields are fixed and never secret, so it is written by a logger without the
  // redaction paths: their wildcards would walk every field of every line for nothing.
  // Errors and everything else still go through `request.log`, redacted.
  const requestLog = logger.child({}, { redact: [] });
  const viaPino: RequestLog = (entry) =>
    requestLog.info({ ...entry, durationMs: rounded(entry.durationMs) }, 'request');
  const pino = requestLog as unknown as Partial<PinoParts> & {
    [HOOKS]?: { streamWrite?: unknown };
  };
  const stream = pino[symbols.streamSym];
  const time = pino[symbols.timeSym];
  const level = pino.levels?.values.info;
  const prefix = level === undefined ? undefined : pino[symbols.lsCacheSym]?.[level];
  const bindings = pino[symbols.chindingsSym];
  const end = pino[symbols.endSym];
  const asJson = pino[symbols.asJsonSym];
  const enabled = pino.isLevelEnabled?.bind(requestLog);
  if (
    stream === undefined ||
    stream[symbols.needsMetadataGsym] === true ||
    time === undefined ||
    level === undefined ||
    prefix === undefined ||
    bindings === undefined ||
    end === undefined ||
    asJson === undefined ||
    enabled === undefined ||
    pino[symbols.mixinSym] !== undefined ||
    (pino.msgPrefix ?? '') !== '' ||
    pino[HOOKS]?.streamWrite !== undefined
  ) {
    return viaPino;
  }
  const line = (entry: RequestLogEntry, timeField: string) =>
    `${prefix}${timeField}${bindings},"reqId":${JSON.stringify(entry.reqId)},` +
    `"method":${JSON.stringify(entry.method)},"url":${JSON.stringify(entry.url)},` +
    `"statusCode":${entry.statusCode},"durationMs":${rounded(entry.durationMs)}` +
    `${entry.keyId === undefined ? '' : `,"keyId":${JSON.stringify(entry.keyId)}`},` +
    `"msg":"request"${end}`;
  const sameLine = PROBES.every(
    (probe) =>
      line(probe, ',"time":0') ===
      asJson.call(
        requestLog,
        { ...probe, durationMs: rounded(probe.durationMs) },
        'request',
        level,
        ',"time":0',
      ),
  );
  if (!sameLine) return viaPino;
  return (entry) => {
    if (enabled('info')) stream.write(line(entry, time()));
  };
}
