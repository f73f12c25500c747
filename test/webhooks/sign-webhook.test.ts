import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from '../../src/webhooks/index.js';
import {
  isPlotonSignatureValid,
  verifyStandardWebhook,
  type ReceivedWebhook,
} from '../support/webhook-receiver.js';

const BODY = JSON.stringify({
  event: 'task.complete',
  task_id: 'task_8xK2mP',
  timestamp: '2025-06-15T14:22:03Z',
  data: { temperature: '62°F', conditions: 'Partly cloudy', humidity: '73%' },
});

function received(headers: Record<string, string>, rawBody = BODY): ReceivedWebhook {
  return {
    path: '/hooks',
    headers,
    rawBody,
    body: JSON.parse(rawBody),
    id: headers['webhook-id']!,
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

describe('webhook signatures', () => {
  const secret = generateWebhookSecret();

  it('makes secrets as Standard Webhooks does: whsec_ and the base64 of 32 random bytes', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('signs X-Ploton-Signature as the hex HMAC-SHA256 of the raw body with the whsec_ secret', () => {
    const headers = signWebhook({
      id: 'evt_1',
      timestampSeconds: nowSeconds(),
      body: BODY,
      secrets: [secret],
    });
    expect(headers['x-ploton-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(isPlotonSignatureValid(secret, BODY, headers['x-ploton-signature'])).toBe(true);
  });

  it('passes the standardwebhooks verifier, which returns the parsed payload', () => {
    const headers = signWebhook({
      id: 'evt_1',
      timestampSeconds: nowSeconds(),
      body: BODY,
      secrets: [secret],
    });
    expect(headers['webhook-id']).toBe('evt_1');
    expect(verifyStandardWebhook(secret, received(headers))).toEqual(JSON.parse(BODY));
  });

  it('fails both checks when one byte of the body changes', () => {
    const headers = signWebhook({
      id: 'evt_1',
      timestampSeconds: nowSeconds(),
      body: BODY,
      secrets: [secret],
    });
    const tampered = BODY.replace('62°F', '63°F');
    expect(tampered).not.toBe(BODY);
    expect(isPlotonSignatureValid(secret, tampered, headers['x-ploton-signature'])).toBe(false);
    expect(() => verifyStandardWebhook(secret, received(headers, tampered))).toThrow(
      /No matching signature/,
    );
  });

  it('fails Standard Webhooks verification when the id or the timestamp is changed', () => {
    const timestamp = nowSeconds();
    const headers = signWebhook({
      id: 'evt_1',
      timestampSeconds: timestamp,
      body: BODY,
      secrets: [secret],
    });
    expect(() =>
      verifyStandardWebhook(secret, received({ ...headers, 'webhook-id': 'evt_2' })),
    ).toThrow(/No matching signature/);
    expect(() =>
      verifyStandardWebhook(
        secret,
        received({ ...headers, 'webhook-timestamp': String(timestamp + 1) }),
      ),
    ).toThrow(/No matching signature/);
  });

  it('is refused by the verifier when the attempt time is more than five minutes off', () => {
    for (const offset of [-301, 301]) {
      const headers = signWebhook({
        id: 'evt_1',
        timestampSeconds: nowSeconds() + offset,
        body: BODY,
        secrets: [secret],
      });
      expect(() => verifyStandardWebhook(secret, received(headers))).toThrow(/timestamp too/);
    }
  });

  it('signs with both secrets during a rotation, so receivers on either one verify', () => {
    const next = generateWebhookSecret();
    const headers = signWebhook({
      id: 'evt_1',
      timestampSeconds: nowSeconds(),
      body: BODY,
      secrets: [next, secret],
    });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook(next, received(headers))).toBeDefined();
    expect(verifyStandardWebhook(secret, received(headers))).toBeDefined();
    expect(isPlotonSignatureValid(next, BODY, headers['x-ploton-signature'])).toBe(true);
    expect(isPlotonSignatureValid(secret, BODY, headers['x-ploton-signature-previous'])).toBe(true);
    expect(() => verifyStandardWebhook(generateWebhookSecret(), received(headers))).toThrow();
  });
});
