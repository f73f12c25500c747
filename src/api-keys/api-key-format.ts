import zlib from 'node:zlib';
import { randomBase62 } from '../ids/index.js';
import type { Environment } from '../storage/index.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 30;
const CHECKSUM_LENGTH = 6;

/** `pk_live_` or `pk_test_`, 30 random base62 characters, then a 6-character base62 CRC32. */
export const API_KEY_PATTERN = /^pk_(live|test)_[0-9A-Za-z]{36}$/;

function checksum(body: string): string {
  let value = zlib.crc32(body);
  let out = '';
  for (let index = 0; index < CHECKSUM_LENGTH; index += 1) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

export function generateApiKey(environment: Environment): string {
  const body = `pk_${environment}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

/** Cheap offline check (shape and checksum) before any database lookup. */
export function parseApiKey(key: string): { environment: Environment } | undefined {
  if (!API_KEY_PATTERN.test(key)) return undefined;
  const body = key.slice(0, key.length - CHECKSUM_LENGTH);
  if (checksum(body) !== key.slice(-CHECKSUM_LENGTH)) return undefined;
  return { environment: key.startsWith('pk_live_') ? 'live' : 'test' };
}
