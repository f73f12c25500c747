import { describe, expect, it } from 'vitest';
import { LexicalIndex, type IndexedFields } from '../../../src/tools/ranking/lexical-index.js';

function tool(action: string, description: string, toolkit = '', parameters = ''): IndexedFields {
  return { toolkit, action, description, parameters };
}

const CATALOG: IndexedFields[] = [
  tool('list_invoices', 'Lists invoices of an account, newest first.', 'billing'),
  tool('send_reminder', 'Emails a reminder about an unpaid invoice.', 'billing'),
  tool('create_contact', 'Adds a person to the address book.', 'crm'),
  tool('delete_contact', 'Deletes a person from the address book.', 'crm'),
  tool('get_weather', 'Current conditions and the forecast for a city.', 'weather', 'city name'),
  tool('book_table', 'Reserves a table at a restaurant.', 'dining', 'party_size guests'),
  tool('financeOverview', 'Stock quotes and market news.', 'markets'),
];

function names(hits: { id: number }[]): string[] {
  return hits.map((hit) => CATALOG[hit.id]?.action ?? '?');
}

describe('LexicalIndex', () => {
  const index = new LexicalIndex(CATALOG);

  it('reports how many tools it holds', () => {
    expect(index.size).toBe(CATALOG.length);
    expect(new LexicalIndex([]).size).toBe(0);
  });

  it('ranks a tool whose name matches above one that only mentions the word', () => {
    const hits = index.search('invoices');
    expect(names(hits).slice(0, 2)).toEqual(['list_invoices', 'send_reminder']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('finds a tool through the neighbours of a query word no tool uses', () => {
    const catalog = [
      tool('get_forecast', 'Rain, wind and temperature outlook for a city.'),
      tool('list_invoices', 'Lists invoices of an account.'),
    ];
    const [first] = new LexicalIndex(catalog).search('weather in Paris');
    expect(first?.id).toBe(0);
    expect(first?.matched).toEqual(['weather']);
    expect(new LexicalIndex(catalog, { neighbourWeight: 0 }).search('weather in Paris')).toEqual(
      [],
    );
    // Domain selection asks for the literal words only.
    expect(new LexicalIndex(catalog).search('weather in Paris', { neighbours: false })).toEqual([]);
  });

  it('reports which query words, as written, matched each tool', () => {
    const [first] = index.search('Delete a Contact please');
    expect(names([first!])).toEqual(['delete_contact']);
    expect(first!.matched).toEqual(['Delete', 'Contact']);
  });

  it('reports a word once, as first written, when several forms of it occur', () => {
    const [first] = index.search('contacts: delete contact');
    expect(first!.matched).toEqual(['contacts', 'delete']);
  });

  it('finds tools through near-synonyms of the operation', () => {
    // "contact" alone ties create_contact and delete_contact; "remove" decides.
    expect(names(index.search('remove someone from my contacts', { limit: 1 }))).toEqual([
      'delete_contact',
    ]);
  });

  it('matches morphological variants the stemmer keeps apart', () => {
    // "financial" stems to "financi", the name's "finance" to "financ".
    const hits = index.search('financial');
    expect(names(hits)).toEqual(['financeOverview']);
    expect(hits[0]!.matched).toEqual(['financial']);
  });

  it('matches a query word with a typo to the indexed word', () => {
    // "forecsat" is in no tool; "forecast", one swapped pair away, is.
    expect(names(index.search('forecsat', { limit: 1 }))).toEqual(['get_weather']);
  });

  it('does not count an operation word alone as covering a tool name', () => {
    const tools = [
      tool('find_agency', 'Marketing agencies by city.'),
      tool('ProductSearch', 'Find products with smart filters.'),
    ];
    const hits = new LexicalIndex(tools).search('find me a product', { limit: 1 });
    expect(hits.map((hit) => tools[hit.id]?.action)).toEqual(['ProductSearch']);
  });

  it('searches parameter names and descriptions', () => {
    expect(names(index.search('how many guests', { limit: 1 }))).toEqual(['book_table']);
  });

  it('returns only tools the filter allows, asking it once per tool', () => {
    const asked: number[] = [];
    const hits = index.search('contact person', {
      filter: (id) => {
        asked.push(id);
        return CATALOG[id]?.toolkit !== 'crm' || CATALOG[id]?.action === 'delete_contact';
      },
    });
    expect(names(hits)).toEqual(['delete_contact']);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('returns at most limit hits, best first', () => {
    const all = index.search('contact invoice weather table');
    const limited = index.search('contact invoice weather table', { limit: 2 });
    expect(limited).toEqual(all.slice(0, 2));
  });

  it('puts the best tool of each request of a multi-request prompt at the top', () => {
    // Scored as one query, list_invoices (which shares "invoice" and "account") is second.
    const hits = index.search(
      'Send a reminder about every unpaid invoice of the billing account, newest invoices first. Then book a table.',
      { limit: 2 },
    );
    expect(names(hits)).toEqual(['send_reminder', 'book_table']);
  });

  it('returns the same hits and scores for the same input, also from a rebuilt index', () => {
    const query = 'send an email reminder about the unpaid invoice for the account';
    const first = index.search(query);
    expect(index.search(query)).toEqual(first);
    expect(new LexicalIndex(CATALOG).search(query)).toEqual(first);
  });

  it('orders tools with equal scores by id', () => {
    const twins = new LexicalIndex([tool('ping', 'Checks.'), tool('ping', 'Checks.')]);
    expect(twins.search('ping').map((hit) => hit.id)).toEqual([0, 1]);
  });

  it('returns nothing for a query of stop words or unknown words', () => {
    expect(index.search('can you please do it')).toEqual([]);
    expect(index.search('zyzzyva')).toEqual([]);
  });
});
