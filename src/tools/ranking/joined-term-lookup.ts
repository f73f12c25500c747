import { inverseDocumentFrequency, type PostingList } from './build-postings.js';
import type { PostingSegment, TermLookup } from './term-lookup.js';

export interface LookupPart {
  lookup: TermLookup;
  /** Added to this part's document ids; parts follow each other without overlap. */
  offset: number;
}

/**
 * Several indexes searched as one corpus of `documentCount` documents: a term's list is the
 * parts' lists end to end (ids shifted by each part's offset), with idf over the whole corpus;
 * `segments` gives the parts themselves, which searches read without joining them.
 * Lets a project's own toolkits be ranked together with the shared directory without copying
 * the directory's index per project.
 */
export function createJoinedTermLookup(parts: LookupPart[], documentCount: number): TermLookup {
  const join = (term: string): PostingList | undefined => {
    const found: { list: PostingList; offset: number }[] = [];
    for (const part of parts) {
      const list = part.lookup.get(term);
      if (list !== undefined && list.docs.length > 0) found.push({ list, offset: part.offset });
    }
    const [first] = found;
    if (first === undefined) return undefined;
    if (found.length === 1 && first.offset === 0) {
      const frequency = first.list.docs.length;
      return { ...first.list, idf: inverseDocumentFrequency(documentCount, frequency) };
    }
    const length = found.reduce((total, { list }) => total + list.docs.length, 0);
    const docs = new Int32Array(length);
    const weights = new Float64Array(length);
    const nameShares = new Float64Array(length);
    let position = 0;
    for (const { list, offset } of found) {
      for (let index = 0; index < list.docs.length; index++) {
        docs[position] = (list.docs[index] ?? 0) + offset;
        weights[position] = list.weights[index] ?? 0;
        nameShares[position] = list.nameShares[index] ?? 0;
        position++;
      }
    }
    return { docs, weights, nameShares, idf: inverseDocumentFrequency(documentCount, length) };
  };
  return {
    // Not cached: a view lives as long as its project's catalog, and a copy of a common
    // term's list (the directory's and the project's joined) is large. Searches read the
    // segments instead, without a copy.
    get: join,
    segments(term) {
      const found: PostingSegment[] = [];
      let frequency = 0;
      for (const part of parts) {
        const list = part.lookup.get(term);
        if (list === undefined || list.docs.length === 0) continue;
        frequency += list.docs.length;
        found.push({ list, offset: part.offset });
      }
      if (found.length === 0) return undefined;
      const idf = inverseDocumentFrequency(documentCount, frequency);
      return found.map(({ list, offset }) => ({ list: { ...list, idf }, offset }));
    },
    extensions(prefix, limit) {
      const all = new Set<string>();
      for (const part of parts)
        for (const term of part.lookup.extensions(prefix, limit)) all.add(term);
      return [...all].sort().slice(0, limit);
    },
  };
}
