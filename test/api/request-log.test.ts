import { Writable } from 'node:stream';
import { multistream } from 'pino';
import { describe, expect, it } from 'vitest';
import { createRequestLog, type RequestLogEntry } from '../../src/http/request-log.js';
import { createLogger } from '../../src/main/create-logger.js';

/** A stream that keeps each line it is given. */
function lineSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
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

describe('the request log line', () => {
  it('is the line pino itself writes for the same fields, in the same order', () => {
    const written = lineSink();
    const reference = lineSink();
    const requestLog = createRequestLog(createLogger('info', written.stream));
    // A multistream asks for pino's metadata, so the line comes from pino's own `info`.
    const pinoLog = createRequestLog(
      createLogger('info', multistream([{ stream: reference.stream }])),
    );
    for (const entry of entries) {
      requestLog({ ...entry });
      pinoLog({ ...entry });
    }
    expect(written.lines).toHaveLength(entries.length);
    expect(reference.lines).toHaveLength(entries.length);
    written.lines.forEach((line, index) => {
      const ours = JSON.parse(line) as Record<string, unknown>;
      const theirs = JSON.parse(reference.lines[index] ?? '') as Record<string, unknown>;
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      expect(typeof ours.time).toBe('number');
      expect({ ...ours, time: 0 }).toEqual({ ...theirs, time: 0 });
    });
    expect(JSON.parse(written.lines[0] ?? '')).toMatchObject({
      level: 30,
      service: 'cadre',
      msg: 'request',
      durationMs: 0.12,
      keyId: 'key_1',
    });
    expect(JSON.parse(written.lines[1] ?? '')).not.toHaveProperty('keyId');
  });

  it('writes nothing when the level is above info', () => {
    const sink = lineSink();
    const requestLog = createRequestLog(createLogger('warn', sink.stream));
    for (const entry of entries) requestLog({ ...entry });
    expect(sink.lines).toEqual([]);
  });
});
