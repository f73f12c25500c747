import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SECRET_FILE = 'secret.key';

/**
 * The key-encryption key: CADRE_SECRET_KEY when set, otherwise a random key generated once
 * into the data dir (mode 0600) and reused on every start.
 */
export function resolveSecretKey(explicit: string | undefined, dataDir: string): string {
  if (explicit !== undefined) return explicit;
  const file = path.join(dataDir, SECRET_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = crypto.randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return fs.readFileSync(file, 'utf8').trim();
    }
    throw error;
  }
}

/** A 32-byte subkey for one purpose, so one secret never serves two uses directly. */
export function deriveSubkey(secretKey: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secretKey, 'cadre', purpose, 32));
}
