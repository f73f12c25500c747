import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEXICAL_INDEX_OPTIONS,
  LexicalIndex,
  buildPostings,
  createMapTermLookup,
  type CorpusStatistics,
  type IndexedFields,
} from '../../../src/tools/ranking/index.js';
import { createJoinedTermLookup } from '../../../src/tools/ranking/joined-term-lookup.js';
import {
  createPackedTermLookup,
  packPostings,
} from '../../../src/tools/ranking/packed-postings.js';
import { createRestrictedTermLookup } from '../../../src/tools/ranking/restricted-term-lookup.js';

function tool(
  toolkit: string,
  action: string,
  description: string,
  parameters = '',
): IndexedFields {
  return { toolkit, action, description, parameters };
}

const SHARED: IndexedFields[] = [
  tool('crm', 'listContacts', 'Lists the contacts of the address book.', 'limit cursor'),
  tool('crm', 'createContact', 'Adds a person to the address book.', 'name email'),
  tool('crm', 'listOpportunities', 'Lists the sales opportunities of a pipeline.'),
  tool('billing', 'refundCharge', 'Refunds a card charge, fully or in part.', 'amount charge'),
  tool('billing', 'createInvoice', 'Creates an invoice for a customer.', 'customer items'),
  tool('chat', 'postMessage', 'Sends a message to a channel.', 'channel text'),
  tool('chat', 'listChannels', 'Lists the channels of a workspace.'),
  tool('storage', 'uploadFile', 'Uploads a file to a folder.', 'folder content'),
];
const OWN: IndexedFields[] = [
  tool('internal-crm', 'findPerson', 'Finds a person in our own CRM by email.', 'email'),
  tool('internal-crm', 'exportContacts', 'Exports every contact as CSV.'),
];
const QUERIES = [
  'pull contacts and export them',
  'refund the charge, then post a message to the channel',
  'find a person by email',
  'upload files to folders',
  'sales pipeline opportunities',
];

/** Hits as comparable values: scores to 6 digits (32-bit storage rounds them). */
function hits(index: LexicalIndex, query: string) {
  return index.search(query).map((hit) => ({ ...hit, score: Number(hit.score.toFixed(4)) }));
}

describe('term lookups', () => {
  it('ranks identically from packed (stored) postings and from postings in memory', () => {
    const built = buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS).postings;
    const inMemory = new LexicalIndex({
      lookup: createMapTermLookup(built),
      documentCount: SHARED.length,
    });
    const packed = new LexicalIndex({
      lookup: createPackedTermLookup(packPostings(built)),
      documentCount: SHARED.length,
    });
    for (const query of QUERIES) expect(hits(packed, query)).toEqual(hits(inMemory, query));
  });

  it('finds extensions of a term in a packed index without offering word pairs', () => {
    const lookup = createPackedTermLookup(
      packPostings(buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS).postings),
    );
    expect(lookup.extensions('contact', 8)).toEqual([]);
    expect(lookup.extensions('opp', 8)).toEqual(['opportun']);
    expect(lookup.get('contact list')).toBeDefined();
  });

  it('ranks a corpus joined from two indexes as one index over all of it would', () => {
    const all = [...SHARED, ...OWN];
    const whole = new LexicalIndex(all);
    const shared = buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS);
    const sharedLookup = createMapTermLookup(shared.postings);
    // The project's own tools are indexed with the shared corpus's statistics.
    const corpus: CorpusStatistics = {
      documentCount: all.length,
      documentFrequency: (term) => sharedLookup.get(term)?.docs.length ?? 0,
      averageLengths: buildPostings(all, DEFAULT_LEXICAL_INDEX_OPTIONS).averageLengths,
    };
    const ownLookup = createMapTermLookup(
      buildPostings(OWN, DEFAULT_LEXICAL_INDEX_OPTIONS, corpus).postings,
    );
    const sharedWithAllLengths = createMapTermLookup(
      buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS, {
        ...corpus,
        documentFrequency: (term) => ownLookup.get(term)?.docs.length ?? 0,
      }).postings,
    );
    const joined = new LexicalIndex({
      lookup: createJoinedTermLookup(
        [
          { lookup: sharedWithAllLengths, offset: 0 },
          { lookup: ownLookup, offset: SHARED.length },
        ],
        all.length,
      ),
      documentCount: all.length,
    });
    for (const query of QUERIES) {
      expect(hits(joined, query).map((hit) => hit.id)).toEqual(
        hits(whole, query).map((hit) => hit.id),
      );
    }
  });

  it('gives a joined term as segments equal to its joined list, with the same idf', () => {
    const lookup = createJoinedTermLookup(
      [
        {
          lookup: createMapTermLookup(
            buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS).postings,
          ),
          offset: 0,
        },
        {
          lookup: createMapTermLookup(buildPostings(OWN, DEFAULT_LEXICAL_INDEX_OPTIONS).postings),
          offset: SHARED.length,
        },
      ],
      SHARED.length + OWN.length,
    );
    for (const term of ['contact', 'person', 'email', 'charg', 'export']) {
      const joined = lookup.get(term);
      const segments = lookup.segments?.(term) ?? [];
      expect([...(joined?.docs ?? [])]).toEqual(
        segments.flatMap(({ list, offset }) => [...list.docs].map((doc) => doc + offset)),
      );
      for (const { list } of segments) expect(list.idf).toBe(joined?.idf);
    }
    expect(lookup.segments?.('zyzzyva')).toBeUndefined();
  });

  it('answers whether the whole index has a term that the restricted documents lack', () => {
    const lookup = createRestrictedTermLookup(
      createMapTermLookup(buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS).postings),
      Int32Array.from([0, 2, 5, 6]),
    );
    expect(lookup.get('email')).toBeUndefined();
    expect(lookup.has?.('email')).toBe(true);
    expect(lookup.has?.('channel')).toBe(true);
    expect(lookup.has?.('zyzzyva')).toBe(false);
  });

  it('ranks some documents exactly as the whole index does, renumbered in their order', () => {
    const whole = new LexicalIndex(SHARED);
    const lookup = createMapTermLookup(
      buildPostings(SHARED, DEFAULT_LEXICAL_INDEX_OPTIONS).postings,
    );
    const subset = Int32Array.from([0, 2, 5, 6]);
    const restricted = new LexicalIndex({
      lookup: createRestrictedTermLookup(lookup, subset),
      documentCount: subset.length,
    });
    for (const query of QUERIES) {
      const expected = whole
        .search(query, { filter: (id) => subset.includes(id) })
        .map((hit) => ({ id: hit.id, score: hit.score, matched: hit.matched }));
      const actual = restricted
        .search(query)
        .map((hit) => ({ id: subset[hit.id], score: hit.score, matched: hit.matched }));
      expect(actual).toEqual(expected);
    }
  });
});
