import { describe, expect, it } from 'vitest';
import { stripRequestFraming } from '../../../src/tools/ranking/strip-request-framing.js';

function words(text: string): string[] {
  return stripRequestFraming(text).split(/\W+/).filter(Boolean);
}

describe('stripRequestFraming', () => {
  it('drops greetings and the phrasing of a request to an assistant', () => {
    expect(words("Hi! Can you help me find a hotel? I'm interested in Paris, thanks")).toEqual([
      'Can',
      'you',
      'find',
      'a',
      'hotel',
      'I',
      'm',
      'Paris',
    ]);
  });

  it('keeps the same words where they name what is asked for', () => {
    expect(words('Open a help desk ticket and provide a refund')).toEqual([
      'Open',
      'a',
      'help',
      'desk',
      'ticket',
      'and',
      'provide',
      'a',
      'refund',
    ]);
  });
});
