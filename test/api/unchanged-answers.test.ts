import { describe, expect, it } from 'vitest';
import { createUnchangedAnswers, isEarlier } from '../../src/http/unchanged-answers.js';

const body = (text: string) => Buffer.from(text);
const text = (kept: Buffer | undefined) => kept?.toString();

describe('bodies kept while the database is unchanged', () => {
  it('answers a key only at the counter value its body was read at', () => {
    const answers = createUnchangedAnswers();
    expect(text(answers.get('a', 1))).toBeUndefined();
    answers.set('a', 1, body('{"v":1}'));
    expect(text(answers.get('a', 1))).toBe('{"v":1}');
    expect(text(answers.get('b', 1))).toBeUndefined();
    // A later value means a commit: everything kept is dropped, and stays dropped.
    expect(text(answers.get('a', 2))).toBeUndefined();
    expect(text(answers.get('a', 1))).toBeUndefined();
    expect(answers.hits()).toBe(1);
  });

  it('lets a request that read the counter before a commit neither keep nor drop bodies', () => {
    const answers = createUnchangedAnswers();
    answers.get('a', 1); // a slow read starts at 1
    answers.get('b', 2); // meanwhile a commit, seen by another request
    answers.set('b', 2, body('new'));
    answers.set('a', 1, body('old')); // the slow read ends: not kept
    expect(text(answers.get('a', 1))).toBeUndefined(); // and it drops nothing
    expect(text(answers.get('a', 2))).toBeUndefined();
    expect(text(answers.get('b', 2))).toBe('new');
  });

  it('orders counter values as a 32-bit counter that wraps around', () => {
    expect(isEarlier(1, 2)).toBe(true);
    expect(isEarlier(2, 1)).toBe(false);
    expect(isEarlier(5, 5)).toBe(false);
    expect(isEarlier(2 ** 32 - 1, 0)).toBe(true);
    expect(isEarlier(0, 2 ** 32 - 1)).toBe(false);
    const answers = createUnchangedAnswers();
    answers.get('a', 2 ** 32 - 1);
    answers.set('a', 2 ** 32 - 1, body('before the wrap'));
    expect(text(answers.get('a', 0))).toBeUndefined();
    answers.set('a', 0, body('after the wrap'));
    expect(text(answers.get('a', 0))).toBe('after the wrap');
  });

  it('keeps the first body of a key and makes room by dropping the least recently used', () => {
    // Sizes count a key's characters twice: each one-letter key adds 2 bytes to its body.
    const answers = createUnchangedAnswers({ entries: 3, bytes: 30 });
    answers.get('x', 7);
    answers.set('a', 7, body('1234'));
    answers.set('a', 7, body('other'));
    answers.set('b', 7, body('12'));
    answers.set('c', 7, body('1'));
    expect(text(answers.get('a', 7))).toBe('1234'); // now b is the least recently used
    answers.set('d', 7, body('1')); // over the entry limit: b goes
    expect(['a', 'b', 'c', 'd'].map((key) => text(answers.get(key, 7)))).toEqual([
      '1234',
      undefined,
      '1',
      '1',
    ]);
    // Reading them made the order a, c, d (6 + 3 + 3 bytes). 20 more is over 30: a goes.
    answers.set('e', 7, body('x'.repeat(18)));
    expect(['a', 'c', 'd', 'e'].map((key) => text(answers.get(key, 7)))).toEqual([
      undefined,
      '1',
      '1',
      'x'.repeat(18),
    ]);
    answers.set('f', 7, body('x'.repeat(29))); // larger than the whole budget: not kept
    expect(text(answers.get('f', 7))).toBeUndefined();
    expect(text(answers.get('e', 7))).toBe('x'.repeat(18));
  });
});
