import crypto from 'node:crypto';

const PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/**
 * A new signing secret as Standard Webhooks spells it: `whsec_` and the base64 of 32 random
 * bytes. Shown once; stored only sealed.
 */
export function generateWebhookSecret(): string {
  return `${PREFIX}${crypto.randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** The HMAC key Standard Webhooks verifiers derive from a secret: the base64 after `whsec_`. */
export function standardWebhooksKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}
