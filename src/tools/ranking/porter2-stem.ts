/**
 * The Porter2 ("English Snowball") stemmer, after https://snowballstem.org/algorithms/english/stemmer.html.
 * Input is one lowercase word without apostrophes (the tokenizer splits on them).
 *
 * One deliberate deviation: step 1b does not undouble a final consonant when that would leave a
 * stem under three letters, so "added"/"adding" meet "add" (Porter2 gives "ad"). Short API verbs
 * like add/get/set/put matter more to tool search than strict fidelity.
 */
export function porter2Stem(input: string): string {
  if (input.length <= 2) return input;
  const exception = EXCEPTIONS.get(input);
  if (exception !== undefined) return exception;

  let word = markConsonantY(input);
  const r1 = regionOne(word);
  const r2 = regionAfter(word, r1);

  word = step1a(word);
  if (AFTER_1A_INVARIANTS.has(word)) return word;
  word = step1b(word, r1);
  word = step1c(word);
  word = replaceLongestSuffix(word, STEP2, r1, step2Condition);
  word = step3(word, r1, r2);
  word = step4(word, r2);
  word = step5(word, r1, r2);
  return word.replaceAll('Y', 'y');
}

const EXCEPTIONS = new Map<string, string>([
  ['skis', 'ski'],
  ['skies', 'sky'],
  ['sky', 'sky'],
  ['dying', 'die'],
  ['lying', 'lie'],
  ['tying', 'tie'],
  ['idly', 'idl'],
  ['gently', 'gentl'],
  ['ugly', 'ugli'],
  ['early', 'earli'],
  ['only', 'onli'],
  ['singly', 'singl'],
  ['news', 'news'],
  ['howe', 'howe'],
  ['atlas', 'atlas'],
  ['cosmos', 'cosmos'],
  ['bias', 'bias'],
  ['andes', 'andes'],
]);

const AFTER_1A_INVARIANTS = new Set([
  'inning',
  'outing',
  'canning',
  'herring',
  'earring',
  'proceed',
  'exceed',
  'succeed',
]);

const R1_PREFIXES = ['gener', 'commun', 'arsen'];
const DOUBLES = new Set(['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
const LI_ENDINGS = new Set('cdeghkmnrt');

function isVowel(char: string | undefined): boolean {
  return char !== undefined && 'aeiouy'.includes(char);
}

/** Initial y and y after a vowel act as consonants; they are marked Y until the end. */
function markConsonantY(word: string): string {
  let result = '';
  for (let index = 0; index < word.length; index++) {
    const char = word[index] ?? '';
    const consonantY = char === 'y' && (index === 0 || isVowel(result[index - 1]));
    result += consonantY ? 'Y' : char;
  }
  return result;
}

function regionOne(word: string): number {
  for (const prefix of R1_PREFIXES) if (word.startsWith(prefix)) return prefix.length;
  return regionAfter(word, 0);
}

/** The start of the region after the first non-vowel that follows a vowel, from `from`. */
function regionAfter(word: string, from: number): number {
  for (let index = from + 1; index < word.length; index++) {
    if (!isVowel(word[index]) && isVowel(word[index - 1])) return index + 1;
  }
  return word.length;
}

function hasVowel(text: string): boolean {
  for (const char of text) if (isVowel(char)) return true;
  return false;
}

/** A short syllable ends at `end` (exclusive). */
function endsWithShortSyllable(word: string, end = word.length): boolean {
  const last = word[end - 1];
  const middle = word[end - 2];
  if (end === 2) return isVowel(middle) && !isVowel(last);
  const first = word[end - 3];
  return (
    !isVowel(first) &&
    isVowel(middle) &&
    !isVowel(last) &&
    last !== 'w' &&
    last !== 'x' &&
    last !== 'Y'
  );
}

function isShort(word: string): boolean {
  return regionOne(word) >= word.length && endsWithShortSyllable(word);
}

function step1a(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ied') || word.endsWith('ies')) {
    return word.length > 4 ? word.slice(0, -2) : word.slice(0, -1);
  }
  if (word.endsWith('us') || word.endsWith('ss')) return word;
  if (word.endsWith('s') && hasVowel(word.slice(0, -2))) return word.slice(0, -1);
  return word;
}

function step1b(word: string, r1: number): string {
  for (const suffix of ['eedly', 'eed']) {
    if (word.endsWith(suffix)) {
      return word.length - suffix.length >= r1 ? `${word.slice(0, -suffix.length)}ee` : word;
    }
  }
  for (const suffix of ['ingly', 'edly', 'ing', 'ed']) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if (!hasVowel(stem)) return word;
    if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return `${stem}e`;
    if (DOUBLES.has(stem.slice(-2))) return stem.length > 3 ? stem.slice(0, -1) : stem;
    if (isShort(stem)) return `${stem}e`;
    return stem;
  }
  return word;
}

function step1c(word: string): string {
  const last = word.at(-1);
  if ((last === 'y' || last === 'Y') && word.length > 2 && !isVowel(word.at(-2))) {
    return `${word.slice(0, -1)}i`;
  }
  return word;
}

type Rule = readonly [suffix: string, replacement: string];

const STEP2: readonly Rule[] = [
  ['ization', 'ize'],
  ['ational', 'ate'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['iveness', 'ive'],
  ['tional', 'tion'],
  ['biliti', 'ble'],
  ['lessli', 'less'],
  ['entli', 'ent'],
  ['ation', 'ate'],
  ['alism', 'al'],
  ['aliti', 'al'],
  ['ousli', 'ous'],
  ['iviti', 'ive'],
  ['fulli', 'ful'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['abli', 'able'],
  ['izer', 'ize'],
  ['ator', 'ate'],
  ['alli', 'al'],
  ['bli', 'ble'],
  ['ogi', 'og'],
  ['li', ''],
];

function step2Condition(word: string, suffix: string): boolean {
  const before = word.at(-suffix.length - 1);
  if (suffix === 'ogi') return before === 'l';
  if (suffix === 'li') return before !== undefined && LI_ENDINGS.has(before);
  return true;
}

/**
 * Finds the longest listed suffix (rules are ordered longest first); replaces it when it lies in
 * the region and the condition holds. A longest match that fails stops the step, as in Snowball.
 */
function replaceLongestSuffix(
  word: string,
  rules: readonly Rule[],
  region: number,
  condition: (word: string, suffix: string) => boolean = () => true,
): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    if (word.length - suffix.length < region || !condition(word, suffix)) return word;
    return word.slice(0, -suffix.length) + replacement;
  }
  return word;
}

const STEP3: readonly Rule[] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['alize', 'al'],
  ['icate', 'ic'],
  ['iciti', 'ic'],
  ['ative', ''],
  ['ical', 'ic'],
  ['ness', ''],
  ['ful', ''],
];

function step3(word: string, r1: number, r2: number): string {
  return replaceLongestSuffix(
    word,
    STEP3,
    r1,
    (current, suffix) => suffix !== 'ative' || current.length - suffix.length >= r2,
  );
}

const STEP4_SUFFIXES = [
  'ement',
  'ance',
  'ence',
  'able',
  'ible',
  'ment',
  'ant',
  'ent',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
  'ion',
  'al',
  'er',
  'ic',
];

function step4(word: string, r2: number): string {
  for (const suffix of STEP4_SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if (stem.length < r2) return word;
    if (suffix === 'ion' && !(stem.endsWith('s') || stem.endsWith('t'))) return word;
    return stem;
  }
  return word;
}

function step5(word: string, r1: number, r2: number): string {
  const end = word.length - 1;
  if (word.endsWith('e')) {
    if (end >= r2 || (end >= r1 && !endsWithShortSyllable(word, end))) return word.slice(0, -1);
    return word;
  }
  if (word.endsWith('ll') && end >= r2) return word.slice(0, -1);
  return word;
}
