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

/** Per-posting numbers: 64-bit when built in memory, 32-bit when read from a stored index. */
export type ScoreArray = Float64Array | Float32Array;

export interface PostingList {
  /** Ascending document ids. */
  docs: Int32Array;
  /** BM25F's pseudo term frequency per doc: field-weighted, length-normalized, summed. */
  weights: ScoreArray;
  /** The term's share of the doc's name (idf-weighted), 0 when it is not in the name. */
  nameShares: ScoreArray;
  idf: number;
}

/**
 * Statistics of a larger corpus the documents join (the public directory, for a project's own
 * toolkits), so their scores are on the same scale as that corpus's: idf counts the corpus's
 * documents too, and field lengths are normalized by the corpus's averages.
 */
export interface CorpusStatistics {
  /** Documents of the whole corpus, these included. */
  documentCount: number;
  /** How many documents outside these contain the term. */
  documentFrequency(term: string): number;
  /** Mean length of each field (in FIELDS order) over the corpus. */
  averageLengths: readonly number[];
}

/** BM25's idf (the "+1" variant, never negative). */
export function inverseDocumentFrequency(documentCount: number, frequency: number): number {
  return Math.log(1 + (documentCount - frequency + 0.5) / (frequency + 0.5));
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

export interface BuiltPostings {
  postings: Map<string, PostingList>;
  /** Mean field lengths used for length normalization (the corpus's, when given). */
  averageLengths: readonly number[];
}

/**
 * Builds the inverted index. Everything that does not depend on the query (length
 * normalization, field weights, idf, name shares) is computed here once, so a query only sums
 * precomputed numbers along the posting lists of its terms.
 */
export function buildPostings(
  documents: readonly FieldText[],
  scoring: FieldScoring,
  corpus?: CorpusStatistics,
): BuiltPostings {
  const analyzed = documents.map((document) =>
    FIELDS.map((field) => tokenize(document[field] ?? '')),
  );
  const averageLength = corpus?.averageLengths ?? averageFieldLengths(analyzed);

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

  const count = corpus?.documentCount ?? documents.length;
  const idfOf = (term: string): number => {
    const frequency = (drafts.get(term)?.docs.length ?? 0) + (corpus?.documentFrequency(term) ?? 0);
    return inverseDocumentFrequency(count, frequency);
  };
  const nameIdfTotals = nameTermsByDoc.map((terms) =>
    terms.reduce((total, term) => total + idfOf(term), 0),
  );

  const postings = new Map<string, PostingList>();
  for (const [term, draft] of drafts) {
    const idf = idfOf(term);
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
  return { postings, averageLengths: averageLength };
}

/** Mean token count of each field (at least 1), in FIELDS order. */
export function averageFieldLengths(analyzed: readonly (readonly string[][])[]): number[] {
  return FIELDS.map((_, fieldIndex) => {
    let total = 0;
    for (const fields of analyzed) total += fields[fieldIndex]?.length ?? 0;
    return Math.max(total / Math.max(analyzed.length, 1), 1);
  });
}
