import crypto from 'node:crypto';
import { deriveSubkey } from './secret-key.js';

/** AES-256-GCM ciphertext with the id of the key that sealed it. */
export interface SealedSecret {
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export interface SecretBox {
  /** Id of the key new secrets are sealed with. */
  readonly currentKeyId: string;
  seal(plaintext: string): SealedSecret;
  open(sealed: SealedSecret): string;
}

const PURPOSE = 'credential-encryption';

function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * Seals with the current secret key; opens with it or any previous key (for rotation).
 * AES-256-GCM, 96-bit random IV, 128-bit tag.
 */
export function createSecretBox(secretKey: string, previousSecretKeys: string[] = []): SecretBox {
  const current = deriveSubkey(secretKey, PURPOSE);
  const keys = new Map<string, Buffer>();
  for (const secret of [secretKey, ...previousSecretKeys]) {
    const key = deriveSubkey(secret, PURPOSE);
    keys.set(keyIdOf(key), key);
  }
  const currentKeyId = keyIdOf(current);

  return {
    currentKeyId,
    seal(plaintext) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', current, iv, { authTagLength: 16 });
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        kid: currentKeyId,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(sealed) {
      const key = keys.get(sealed.kid);
      if (key === undefined) {
        throw new Error(
          `No secret key with id ${sealed.kid} is configured; it cannot be decrypted.`,
        );
      }
      const decipher = crypto.createDecipheriv(
        'aes-256-gcm',
        key,
        Buffer.from(sealed.iv, 'base64'),
        {
          authTagLength: 16,
        },
      );
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
