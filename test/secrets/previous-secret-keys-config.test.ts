import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(40);

describe('CADRE_PREVIOUS_SECRET_KEYS', () => {
  it('is an empty list when unset or blank', () => {
    expect(loadConfig({}).previousSecretKeys).toEqual([]);
    expect(loadConfig({ CADRE_PREVIOUS_SECRET_KEYS: ' , ' }).previousSecretKeys).toEqual([]);
  });

  it('is a comma-separated list, trimmed, in the order given', () => {
    expect(
      loadConfig({ CADRE_PREVIOUS_SECRET_KEYS: ` ${KEY_B}, ${KEY_A} ,` }).previousSecretKeys,
    ).toEqual([KEY_B, KEY_A]);
  });

  it('refuses a key shorter than 32 characters by its position, never showing it', () => {
    let problem: unknown;
    try {
      loadConfig({ CADRE_PREVIOUS_SECRET_KEYS: `${KEY_A},short-but-secret`, CADRE_PORT: 'x' });
    } catch (error) {
      problem = error;
    }
    expect(problem).toBeInstanceOf(ConfigError);
    const { problems } = problem as ConfigError;
    expect(problems).toContainEqual(
      expect.stringMatching(/^CADRE_PREVIOUS_SECRET_KEYS: key 2: must be at least 32 characters/),
    );
    // Listed with every other problem at once.
    expect(problems).toContainEqual(expect.stringMatching(/^CADRE_PORT/));
    expect(problems.join('\n')).not.toContain('short-but-secret');
  });
});
