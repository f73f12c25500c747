import crypto from 'node:crypto';
import { standardWebhooksKey } from './webhook-secret.js';

export interface WebhookToSign {
  /** The event id: `webhook-id`, the same on every attempt. */
  id: string;
  /** This attempt's time (`webhook-timestamp`, Unix seconds). */
  timestampSeconds: number;
  /** The exact bytes sent. */
  body: string;
  /** The current secret first, then one still signing during a rotation's grace period. */
  secrets: readonly string[];
}

/**
 * Signature headers for one attempt:
 * - `X-Ploton-Signature`: Ploton's scheme, the hex HMAC-SHA256 of the raw body keyed with the
 *   whole `whsec_…` string (what a receiver written for Ploton computes from its secret);
 *   during a rotation, `X-Ploton-Signature-Previous` carries the same with the old secret.
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature`, one
 *   `v1,<base64 HMAC of "id.timestamp.body">` per secret (key: the base64 after `whsec_`),
 *   so receivers get replay protection and rotations need no downtime.
 */
export function signWebhook(message: WebhookToSign): Record<string, string> {
  const [current, previous] = message.secrets;
  if (current === undefined) throw new TypeError('a webhook needs a signing secret');
  const signedContent = `${message.id}.${message.timestampSeconds}.${message.body}`;
  const headers: Record<string, string> = {
    'x-ploton-signature': plotonSignature(current, message.body),
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestampSeconds),
    'webhook-signature': message.secrets
      .map(
        (secret) =>
          `v1,${crypto.createHmac('sha256', standardWebhooksKey(secret)).update(signedContent).digest('base64')}`,
      )
      .join(' '),
  };
  if (previous !== undefined) {
    headers['x-ploton-signature-previous'] = plotonSignature(previous, message.body);
  }
  return headers;
}

function plotonSignature(secret: string, body: string): string {
  return crypto.createHmac('sha256', secret).update(body).digest('hex');
}
