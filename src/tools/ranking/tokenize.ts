const STOPWORDS = new Set(
  (
    'a an and are as at be by for from has have in into is it its of on or that the this to was ' +
    'were will with you your i me my we our us they them their he she his her can could would ' +
    'should do does did so if then than all any each some please also via using use just want ' +
    'need get got make let lets s t'
  ).split(' '),
);

/** Splits identifiers (`getContactById`, `list_deals`, `crm-agent`) and prose into terms. */
export function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** A light English stemmer: enough to meet "contacts"/"contact", "syncing"/"sync". */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('xes') || word.endsWith('ches') || word.endsWith('shes')) {
    return word.slice(0, -2);
  }
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) {
    return stem(word.slice(0, -1));
  }
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  return word;
}

function undouble(word: string): string {
  const last = word.at(-1);
  if (last !== undefined && word.at(-2) === last && !'lsz'.includes(last)) return word.slice(0, -1);
  return word;
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Terms for indexing and querying: split, stopwords dropped, stemmed. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const word of splitWords(text)) {
    if (!STOPWORDS.has(word)) terms.push(stem(word));
  }
  return terms;
}
