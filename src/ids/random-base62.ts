import crypto from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function nextByte(): number {
  if (offset >= pool.length) {
    pool = crypto.randomBytes(POOL_SIZE);
    offset = 0;
  }
  const byte = pool[offset] as number;
  offset += 1;
  return byte;
}

/** Unbiased base62 from a CSPRNG (rejection sampling above 247 = 4 * 62 - 1). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = nextByte();
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}
