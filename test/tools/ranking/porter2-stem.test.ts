import { describe, expect, it } from 'vitest';
import { porter2Stem } from '../../../src/tools/ranking/porter2-stem.js';

// Pairs from the Snowball project's English vocabulary/output lists (snowballstem/snowball-data).
const SNOWBALL_PAIRS: [string, string][] = [
  ['abandonment', 'abandon'],
  ['abilities', 'abil'],
  ['abruptness', 'abrupt'],
  ['academy', 'academi'],
  ['accompanied', 'accompani'],
  ['accountabilities', 'account'],
  ['acknowledgement', 'acknowledg'],
  ['administration', 'administr'],
  ['advantageously', 'advantag'],
  ['caresses', 'caress'],
  ['ponies', 'poni'],
  ['ties', 'tie'],
  ['agreed', 'agre'],
  ['hopping', 'hop'],
  ['filing', 'file'],
  ['happy', 'happi'],
  ['generously', 'generous'],
  ['generalization', 'general'],
  ['communication', 'communic'],
  ['relational', 'relat'],
  ['conditional', 'condit'],
  ['knightly', 'knight'],
  ['mellifluousness', 'melliflu'],
  ['meteorological', 'meteorolog'],
  ['mindedness', 'minded'],
  ['misrepresentations', 'misrepresent'],
  ['mitigation', 'mitig'],
  ['mistily', 'mistili'],
];

describe('porter2Stem', () => {
  it('matches the Snowball reference output on a sample of its vocabulary', () => {
    for (const [word, expected] of SNOWBALL_PAIRS) expect(porter2Stem(word), word).toBe(expected);
  });

  it('handles the exceptional forms and invariant words', () => {
    expect(porter2Stem('skies')).toBe('sky');
    expect(porter2Stem('dying')).toBe('die');
    expect(porter2Stem('news')).toBe('news');
    expect(porter2Stem('succeed')).toBe('succeed');
  });

  it('treats y after a vowel as a consonant', () => {
    expect(porter2Stem('saying')).toBe('say');
    expect(porter2Stem('enjoyed')).toBe('enjoy');
  });

  it('conflates the inflections API text uses most', () => {
    expect(porter2Stem('contacts')).toBe(porter2Stem('contact'));
    expect(porter2Stem('syncing')).toBe('sync');
    expect(porter2Stem('retrieves')).toBe(porter2Stem('retrieval'));
    expect(porter2Stem('updating')).toBe(porter2Stem('updated'));
  });

  it('keeps short verbs whole where Porter2 would undouble them ("added" meets "add")', () => {
    expect(porter2Stem('added')).toBe('add');
    expect(porter2Stem('adding')).toBe('add');
    expect(porter2Stem('hopping')).toBe('hop');
  });

  it('leaves words of one or two letters alone', () => {
    expect(porter2Stem('is')).toBe('is');
    expect(porter2Stem('a')).toBe('a');
  });
});
