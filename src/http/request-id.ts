import type { IncomingHttpHeaders } from 'node:http';
import { newId } from '../ids/index.js';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a plain token, else a new id. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const incoming = headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
    ? incoming
    : newId('req', 20);
}
