import { tokenize } from './tokenize.js';

export interface IndexedFields {
  /** The service: toolkit slug and its description. */
  toolkit: string;
  /** The operation's own name. */
  action: string;
  description: string;
}

export interface SearchHit {
  id: number;
  score: number;
  /** Query terms (stemmed) that matched this document. */
  matched: string[];
}

const FIELD_WEIGHTS = { toolkit: 2.0, action: 3.0, description: 1.0 } as const;
const FIELD_B = { toolkit: 0.3, action: 0.5, description: 0.75 } as const;
const K1 = 1.2;
type Field = keyof typeof FIELD_WEIGHTS;
const FIELDS = Object.keys(FIELD_WEIGHTS) as Field[];

interface Posting {
  doc: number;
  /** Term frequency per field, in FIELDS order. */
  tf: number[];
}

/**
 * BM25F over three fields (toolkit, action, description): field-weighted, length-normalized
 * term frequencies summed before one saturation, so a term in a tool's name counts more than
 * the same term in its description.
 */
export class LexicalIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[][] = [];
  private readonly averageLength: number[] = FIELDS.map(() => 0);

  constructor(documents: IndexedFields[]) {
    const totals = FIELDS.map(() => 0);
    documents.forEach((document, doc) => {
      const lengths: number[] = [];
      FIELDS.forEach((field, fieldIndex) => {
        const terms = tokenize(document[field]);
        lengths.push(terms.length);
        totals[fieldIndex] = (totals[fieldIndex] ?? 0) + terms.length;
        for (const term of terms) {
          let list = this.postings.get(term);
          if (list === undefined) {
            list = [];
            this.postings.set(term, list);
          }
          let posting = list.at(-1);
          if (posting === undefined || posting.doc !== doc) {
            posting = { doc, tf: FIELDS.map(() => 0) };
            list.push(posting);
          }
          posting.tf[fieldIndex] = (posting.tf[fieldIndex] ?? 0) + 1;
        }
      });
      this.lengths.push(lengths);
    });
    const count = Math.max(documents.length, 1);
    FIELDS.forEach((_, fieldIndex) => {
      this.averageLength[fieldIndex] = Math.max((totals[fieldIndex] ?? 0) / count, 1);
    });
  }

  get size(): number {
    return this.lengths.length;
  }

  search(
    query: string,
    options: { limit?: number; filter?: (id: number) => boolean } = {},
  ): SearchHit[] {
    const terms = [...new Set(tokenize(query))];
    const scores = new Map<number, SearchHit>();
    const total = this.lengths.length;
    for (const term of terms) {
      const list = this.postings.get(term);
      if (list === undefined) continue;
      const idf = Math.log(1 + (total - list.length + 0.5) / (list.length + 0.5));
      for (const posting of list) {
        if (options.filter !== undefined && !options.filter(posting.doc)) continue;
        const lengths = this.lengths[posting.doc] ?? [];
        let weighted = 0;
        FIELDS.forEach((field, fieldIndex) => {
          const tf = posting.tf[fieldIndex] ?? 0;
          if (tf === 0) return;
          const norm =
            1 -
            FIELD_B[field] +
            FIELD_B[field] * ((lengths[fieldIndex] ?? 0) / (this.averageLength[fieldIndex] ?? 1));
          weighted += (FIELD_WEIGHTS[field] * tf) / norm;
        });
        const contribution = (idf * weighted) / (K1 + weighted);
        const hit = scores.get(posting.doc) ?? { id: posting.doc, score: 0, matched: [] };
        hit.score += contribution;
        hit.matched.push(term);
        scores.set(posting.doc, hit);
      }
    }
    const hits = [...scores.values()].sort(
      (left, right) => right.score - left.score || left.id - right.id,
    );
    return options.limit === undefined ? hits : hits.slice(0, options.limit);
  }
}
