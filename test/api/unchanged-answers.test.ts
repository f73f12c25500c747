import { describe, expect, it } from 'vitest';
import { createUnchangedAnswers } from '../../src/http/unchanged-answers.js';

const body = (text: string) => Buffer.from(text);
const text = (kept: Buffer | undefined) => kept?.toString();

describe('bodies kept while the database is unchanged', () => {
  it('answers a key only at the counter value its body was read at', () => {
    const answers = createUnchangedAnswers();
    expect(text(answers.get('a', 1))).toBeUndefined();
    answers.set('a', 1, body('{"v":1}'));
    expect(text(answers.get('a', 1))).toBe('{"v":1}');
    expect(text(answers.get('b', 1))).toBeUndefined();
    // Any other value means a commit: everything kept is dropped, also on the way back.
    expect(text(answers.get('a', 2))).toBeUndefined();
    expect(text(answers.get('a', 1))).toBeUndefined();
    expect(answers.hits()).toBe(1);
  });

  it('does not keep a body read before a commit that another request has already seen', () => {
    const answers = createUnchangedAnswers();
    answers.get('a', 1); // a slow read starts at 1
    answers.get('b', 2); // meanwhile a commit, seen by another request
    answers.set('a', 1, body('old')); // the slow read ends
    expect(text(answers.get('a', 2))).toBeUndefined();
    answers.set('a', 2, body('new'));
    expect(text(answers.get('a', 2))).toBe('new');
  });

  it('keeps the first body of a key and makes room by dropping the least recently used', () => {
    const answers = createUnchangedAnswers({ entries: 3, bytes: 10 });
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
    // Reading them made the order a, c, d. Over the size limit: a goes (1 + 1 + 8 ≤ 10).
    answers.set('e', 7, body('12345678'));
    expect(['a', 'c', 'd', 'e'].map((key) => text(answers.get(key, 7)))).toEqual([
      undefined,
      '1',
      '1',
      '12345678',
    ]);
    answers.set('f', 7, body('12345678901')); // larger than the whole budget: not kept
    expect(text(answers.get('f', 7))).toBeUndefined();
    expect(text(answers.get('e', 7))).toBe('12345678');
  });
});
