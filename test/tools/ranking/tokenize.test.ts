import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeText,
  isStopword,
  splitWords,
  stem,
  tokenize,
} from '../../../src/tools/ranking/tokenize.js';

describe('splitWords', () => {
  it('splits camelCase, snake_case, kebab-case and dotted identifiers', () => {
    expect(splitWords('getContactById')).toEqual(['get', 'contact', 'by', 'id']);
    expect(splitWords('list_deals')).toEqual(['list', 'deals']);
    expect(splitWords('crm-agent.v2/search')).toEqual(['crm', 'agent', 'v2', 'search']);
  });

  it('keeps an acronym together and splits it from the next word', () => {
    expect(splitWords('PDFExporter')).toEqual(['pdf', 'exporter']);
    expect(splitWords('SEOTool')).toEqual(['seo', 'tool']);
  });

  it('folds accents so "café" meets "cafe"', () => {
    expect(splitWords('Café Crème')).toEqual(['cafe', 'creme']);
  });

  it('turns runs of Chinese characters into overlapping pairs', () => {
    expect(splitWords('查询天气')).toEqual(['查询', '询天', '天气']);
    expect(splitWords('天')).toEqual(['天']);
  });
});

describe('tokenize', () => {
  it('drops stop words and request filler but keeps operation verbs', () => {
    expect(tokenize('Can you please get all of my contacts and delete the old ones')).toEqual([
      'get',
      'contact',
      'delet',
      'old',
      'one',
    ]);
    expect(isStopword('please')).toBe(true);
    expect(isStopword('send')).toBe(false);
  });

  it('stems both identifiers and prose to the same terms', () => {
    expect(tokenize('createInvoices')).toEqual(tokenize('creating invoice'));
  });

  it('keeps numbers and leaves non-Latin words unstemmed', () => {
    expect(tokenize('oauth2 tokens 404')).toEqual(['oauth2', 'token', '404']);
    expect(stem('天气')).toBe('天气');
  });
});

describe('analyzeText', () => {
  it('pairs each term with the word of the text it came from, as written', () => {
    expect(analyzeText('Pull HubSpot contacts, then getDealById.')).toEqual([
      { term: 'pull', word: 'Pull' },
      { term: 'hub', word: 'HubSpot' },
      { term: 'spot', word: 'HubSpot' },
      { term: 'contact', word: 'contacts' },
      { term: 'get', word: 'getDealById' },
      { term: 'deal', word: 'getDealById' },
      { term: 'id', word: 'getDealById' },
    ]);
  });

  it('gives exactly the terms of tokenize, for any Latin-script text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), (text) => {
        expect(analyzeText(text).map((entry) => entry.term)).toEqual(tokenize(text));
      }),
      { numRuns: 500 },
    );
    for (const text of [
      'Café Crème',
      '查询天气 today',
      "don't stop_me-now",
      'PDFExporter v2.1',
      '⻳',
    ]) {
      expect(analyzeText(text).map((entry) => entry.term)).toEqual(tokenize(text));
    }
  });
});
