import { tokenize } from './tokenize.js';

export type Field = 'toolkit' | 'action' | 'description' | 'parameters';
export const FIELDS: readonly Field[] = ['toolkit', 'action', 'description', 'parameters'];

export type FieldText = Partial<Record<Field, string>>;

export interface FieldScoring {
  /** BM25F field weights: how much one occurrence in the field counts. */
  weights: Record<Field, number>;
  /** Length normalization per field (0 = none, 1 = full). */
  b: Record<Field, number>;
}

export interface PostingList {
  /** Ascending document ids. */
  docs: Int32Array;
  /** BM25F's pseudo term frequency per doc: field-weighted, length-normalized, summed. */
  weights: Float64Array;
  /** The term's share of the doc's name (idf-weighted), 0 when it is not in the name. */
  nameShares: Float64Array;
  idf: number;
}

/**
 * Adjacent word pairs are indexed under "a b" (a space, which no single term contains), in
 * alphabetical order: "film details" and "details of the film" are the same pair.
 */
export function bigramKey(first: string, second: string): string {
  return first < second ? `${first} ${second}` : `${second} ${first}`;
}

export function isBigramKey(term: string): boolean {
  return term.includes(' ');
}

const PAIRED_FIELDS: ReadonlySet<Field> = new Set(['action']);

interface Draft {
  docs: number[];
  weights: number[];
  inName: boolean[];
}

/**
 * Builds the inverted index. Everything that does not depend on the query (length
 * normalization, field weights, idf, name shares) is computed here once, so a query only sums
 * precomputed numbers along the posting lists of its terms.
 */
export function buildPostings(
  documents: readonly FieldText[],
  scoring: FieldScoring,
): Map<string, PostingList> {
  const analyzed = documents.map((document) =>
    FIELDS.map((field) => tokenize(document[field] ?? '')),
  );
  const averageLength = FIELDS.map((_, fieldIndex) => {
    let total = 0;
    for (const fields of analyzed) total += fields[fieldIndex]?.length ?? 0;
    return Math.max(total / Math.max(documents.length, 1), 1);
  });

  const drafts = new Map<string, Draft>();
  const nameTermsByDoc: string[][] = [];
  analyzed.forEach((fields, doc) => {
    const weighted = new Map<string, number>();
    fields.forEach((terms, fieldIndex) => {
      const field = FIELDS[fieldIndex] ?? 'description';
      const b = scoring.b[field];
      const norm = 1 - b + (b * terms.length) / (averageLength[fieldIndex] ?? 1);
      const perOccurrence = scoring.weights[field] / norm;
      terms.forEach((term, position) => {
        weighted.set(term, (weighted.get(term) ?? 0) + perOccurrence);
        // Only a tool's own name is paired: its words belong together (getFilmDetails is about
        // film details, not films or details). Pairing descriptions and toolkit text, which
        // repeats on every tool of a toolkit, would multiply the index size and measured no gain.
        const next = terms[position + 1];
        if (PAIRED_FIELDS.has(field) && next !== undefined) {
          const pair = bigramKey(term, next);
          weighted.set(pair, (weighted.get(pair) ?? 0) + perOccurrence);
        }
      });
    });
    const nameTerms = new Set(fields[FIELDS.indexOf('action')]);
    nameTermsByDoc.push([...nameTerms]);
    for (const [term, weight] of weighted) {
      let draft = drafts.get(term);
      if (draft === undefined) {
        draft = { docs: [], weights: [], inName: [] };
        drafts.set(term, draft);
      }
      draft.docs.push(doc);
      draft.weights.push(weight);
      draft.inName.push(nameTerms.has(term));
    }
  });

  const count = documents.length;
  const idfOf = (draft: Draft | undefined): number => {
    const frequency = draft?.docs.length ?? 0;
    return Math.log(1 + (count - frequency + 0.5) / (frequency + 0.5));
  };
  const nameIdfTotals = nameTermsByDoc.map((terms) =>
    terms.reduce((total, term) => total + idfOf(drafts.get(term)), 0),
  );

  const postings = new Map<string, PostingList>();
  for (const [term, draft] of drafts) {
    const idf = idfOf(draft);
    const nameShares = new Float64Array(draft.docs.length);
    draft.docs.forEach((doc, index) => {
      const total = nameIdfTotals[doc] ?? 0;
      if (draft.inName[index] === true && total > 0) nameShares[index] = idf / total;
    });
    postings.set(term, {
      docs: Int32Array.from(draft.docs),
      weights: Float64Array.from(draft.weights),
      nameShares,
      idf,
    });
  }
  return postings;
}
