import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeyStore } from '../../src/api-keys/index.js';
import { deriveSubkey } from '../../src/secrets/index.js';
import { createDatabase, type Database } from '../../src/storage/index.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { KEY_A, KEY_B, KEY_C } from './secret-fixtures.js';

const hashKeyOf = (secretKey: string) => deriveSubkey(secretKey, 'api-key-hash');

describe('API keys across a secret key rotation (store)', () => {
  const clock = createScriptedClock();
  let database: Database;

  beforeAll(async () => {
    database = await createDatabase({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(() => database.close());

  const storeWith = (current: string, previous: string[] = []) =>
    createApiKeyStore({
      database,
      hashKey: hashKeyOf(current),
      previousHashKeys: previous.map(hashKeyOf),
      clock,
    });

  it('authenticates a key made under a previous secret key while that key is listed', async () => {
    const made = await storeWith(KEY_A).createKey({ environment: 'live', name: 'before' });
    const principal = await storeWith(KEY_B, [KEY_C, KEY_A]).authenticate(made.key);
    expect(principal).toMatchObject({ keyId: made.id, environment: 'live' });
  });

  it('rejects it once the previous secret key is no longer listed', async () => {
    const made = await storeWith(KEY_A).createKey({ environment: 'live' });
    expect(await storeWith(KEY_B).authenticate(made.key)).toBeUndefined();
    expect(await storeWith(KEY_B, [KEY_C]).authenticate(made.key)).toBeUndefined();
  });

  it('hashes new keys with the current secret key only', async () => {
    const made = await storeWith(KEY_B, [KEY_A]).createKey({ environment: 'test' });
    expect(await storeWith(KEY_B).authenticate(made.key)).toMatchObject({ keyId: made.id });
    expect(await storeWith(KEY_A).authenticate(made.key)).toBeUndefined();
  });

  it('still refuses a revoked key found through a previous secret key', async () => {
    const made = await storeWith(KEY_A).createKey({ environment: 'live' });
    expect(await storeWith(KEY_A).revokeKey(made.id)).toBe(true);
    expect(await storeWith(KEY_B, [KEY_A]).authenticate(made.key)).toBeUndefined();
  });

  it('treats the current key listed again among the previous ones as one key', async () => {
    const made = await storeWith(KEY_B).createKey({ environment: 'live' });
    expect(await storeWith(KEY_B, [KEY_B, KEY_A]).authenticate(made.key)).toMatchObject({
      keyId: made.id,
    });
  });
});
