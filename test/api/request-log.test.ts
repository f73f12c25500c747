import { Writable } from 'node:stream';
import { multistream, pino, type DestinationStream, type LoggerOptions } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createRequestLog, type RequestLogEntry } from '../../src/http/request-log.js';
import { createLogger } from '../../src/main/create-logger.js';

/** A stream that keeps what it is given, line by line. */
function lineSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split(/(?<=\n)/));
      callback();
    },
  });
  return { stream, lines };
}

const entries: RequestLogEntry[] = [
  {
    reqId: 'req_abc',
    method: 'GET',
    url: '/v1/tasks/:task_id',
    statusCode: 200,
    durationMs: 0.123456,
    keyId: 'key_1',
  },
  {
    reqId: 'client.trace:42',
    method: 'POST',
    url: '/v1/odd "path"\\with\u2028unicode\u0001',
    statusCode: 404,
    durationMs: 12,
    keyId: undefined,
  },
];

const withoutTime = (line: string) => line.replace(/"time":\d+/, '"time":0');

/** The lines pino's own `info` writes for the entries, with the fields the request log gives. */
function pinoLines(build: (stream: DestinationStream) => pino.Logger): string[] {
  const sink = lineSink();
  const child = build(sink.stream).child({}, { redact: [] });
  for (const entry of entries) {
    child.info({ ...entry, durationMs: Math.round(entry.durationMs * 100) / 100 }, 'request');
  }
  return sink.lines.map(withoutTime);
}

function requestLogLines(build: (stream: DestinationStream) => pino.Logger): string[] {
  const sink = lineSink();
  const requestLog = createRequestLog(build(sink.stream));
  for (const entry of entries) requestLog({ ...entry });
  return sink.lines.map(withoutTime);
}

describe('the request log line', () => {
  it('is built without pino’s info for Cadre’s logger, and is exactly pino’s line', () => {
    const sink = lineSink();
    const logger = createLogger('info', sink.stream);
    const child = logger.child.bind(logger);
    const infos: unknown[] = [];
    vi.spyOn(logger, 'child').mockImplementation((...args) => {
      const made = child(...args);
      vi.spyOn(made, 'info').mockImplementation((...logged: unknown[]) => infos.push(logged));
      return made;
    });
    const requestLog = createRequestLog(logger);
    for (const entry of entries) requestLog({ ...entry });
    expect(infos).toEqual([]);
    expect(sink.lines.map(withoutTime)).toEqual(
      pinoLines((stream) => createLogger('info', stream)),
    );
    expect(JSON.parse(sink.lines[0] ?? '')).toMatchObject({
      level: 30,
      service: 'cadre',
      msg: 'request',
      durationMs: 0.12,
      keyId: 'key_1',
    });
    expect(JSON.parse(sink.lines[1] ?? '')).not.toHaveProperty('keyId');
  });

  const options: Record<string, LoggerOptions> = {
    'a mixin': { mixin: () => ({ region: 'eu' }) },
    'another message key': { messageKey: 'message' },
    'a level formatter': { formatters: { level: (label) => ({ severity: label }) } },
    'a log formatter': { formatters: { log: (object) => ({ ...object, extra: true }) } },
    'CRLF line ends': { crlf: true },
    'a write hook': { hooks: { streamWrite: (line) => line.replace('req_abc', 'req_***') } },
    'a message prefix': { msgPrefix: '[api] ' },
    'a serializer': { serializers: { url: (url: string) => url.toUpperCase() } },
  };
  it.each(Object.entries(options))('is pino’s own line with %s', (_name, option) => {
    const build = (stream: DestinationStream) => pino({ level: 'info', ...option }, stream);
    expect(requestLogLines(build)).toEqual(pinoLines(build));
  });

  it('is pino’s own line on a stream that wants pino’s metadata (a multistream)', () => {
    const build = (stream: DestinationStream) => pino({ level: 'info' }, multistream([{ stream }]));
    expect(requestLogLines(build)).toEqual(pinoLines(build));
  });

  it('writes nothing when the level is above info', () => {
    const sink = lineSink();
    const requestLog = createRequestLog(createLogger('warn', sink.stream));
    for (const entry of entries) requestLog({ ...entry });
    expect(sink.lines).toEqual([]);
  });
});
