import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../../src/tools/ranking/split-clauses.js';

describe('splitClauses', () => {
  it('splits a prompt into its sentences and chained requests', () => {
    expect(
      splitClauses('Get the weather in Paris. Also, book a table for two, and then email Ann.'),
    ).toEqual(['Get the weather in Paris', 'book a table for two', 'email Ann']);
  });

  it('keeps decimals and versions inside one clause', () => {
    expect(splitClauses('Set the rate to 3.5 percent on v2.1 of the plan')).toEqual([
      'Set the rate to 3.5 percent on v2.1 of the plan',
    ]);
  });

  it('drops fragments shorter than two words', () => {
    expect(splitClauses('Hi. Send the invoice to Bob.')).toEqual(['Send the invoice to Bob']);
  });
});
