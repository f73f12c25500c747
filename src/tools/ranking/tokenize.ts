import { porter2Stem } from './porter2-stem.js';
import { STOPWORDS } from './stopwords.js';

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/**
 * Splits identifiers (`getContactById`, `list_deals`, `crm-agent`) and prose into lowercase
 * words. Accents are folded ("café" meets "cafe"); runs of Chinese, Japanese or Korean script,
 * which have no spaces, become overlapping character pairs so a phrase can still match.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const spaced = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(CJK_RUN, (run) => ` ${cjkBigrams(run).join(' ')} `)
    .toLowerCase();
  for (const word of spaced.split(/[^\p{L}\p{N}]+/u)) if (word !== '') words.push(word);
  return words;
}

function cjkBigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const pairs: string[] = [];
  for (let index = 0; index + 1 < chars.length; index++)
    pairs.push(`${chars[index]}${chars[index + 1]}`);
  return pairs;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * Stems seen recently. A catalog repeats a few thousand words many times over, so this makes
 * indexing several times faster; clearing it when full keeps memory bounded.
 */
const stemCache = new Map<string, string>();
const STEM_CACHE_SIZE = 50_000;

/** Porter2 for Latin-script words; other scripts and numbers are kept as they are. */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = /^[a-z]+$/.test(word) ? porter2Stem(word) : word;
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** Terms for indexing and querying: split, stop words dropped, stemmed. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of splitWords(text)) {
    if (!STOPWORDS.has(word)) terms.push(stem(word));
  }
  return terms;
}

/** A query term and the word of the text it came from, as written ("Contacts" → "contact"). */
export interface AnalyzedTerm {
  term: string;
  word: string;
}

/**
 * The terms of `tokenize(text)`, each with the word of the text it came from, so a result can
 * say which words of a prompt matched rather than which stems. (Words are split on separators
 * first, so a run of CJK symbols and letters may pair differently than in `tokenize`.)
 */
export function analyzeText(text: string): AnalyzedTerm[] {
  const analyzed: AnalyzedTerm[] = [];
  // Decomposed first, as splitWords does: some symbols decompose to letters.
  for (const word of text.normalize('NFKD').split(/[^\p{L}\p{N}\p{M}]+/u)) {
    if (word === '') continue;
    const written = word.normalize('NFC');
    for (const part of splitWords(word)) {
      if (!STOPWORDS.has(part)) analyzed.push({ term: stem(part), word: written });
    }
  }
  return analyzed;
}
