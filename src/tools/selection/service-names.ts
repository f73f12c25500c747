import { UTILITY_TOOLKITS } from '../builtins/builtin-toolkits.js';
import type { CatalogToolkit, CatalogView } from '../catalog-view.js';
import { isStopword, splitWords, stem } from '../ranking/index.js';
import { promptWords, type PromptWord } from './prompt-words.js';

/** Services a prompt names, and the words that named them. */
export interface NamedService {
  /** `vendor`: the vendor only ("Google"); `toolkit`: one service of it ("Google Calendar"). */
  level: 'vendor' | 'toolkit';
  /** The vendor as people name it (`hubspot`), or the toolkit's name. */
  label: string;
  /** The toolkits it may mean: all of a vendor's, or the one toolkit. */
  toolkits: CatalogToolkit[];
  /** The prompt's words that named it, as written. */
  words: string[];
}

/**
 * Other names of vendors, as people write them. Domains give one name per vendor (`aws` for
 * amazonaws.com); these are the few well-known second names.
 */
const VENDOR_NICKNAMES: ReadonlyMap<string, readonly string[]> = new Map([['aws', ['amazon']]]);

/**
 * A word names services when it is characteristic of them: of all the catalog's tools that
 * use it, at most this share (against theirs) belong to other services. Brand names pass
 * ("stripe", "slack", "gmail"); ordinary words that happen to be a vendor's name do not ("box",
 * "data", "keep") and name it only when written like a name mid-sentence ("files on Box").
 */
const OTHER_USES_SHARE = 0.5;

/** The directory's names, built once per directory and shared by every project's view. */
interface NameTables {
  /** Vendor name → the vendor's toolkits. */
  vendors: Map<string, CatalogToolkit[]>;
  /** Word of a service's name after its vendor (`gmail` of google-gmail) → those toolkits. */
  serviceWords: Map<string, CatalogToolkit[]>;
  /** Each directory toolkit's own service words. */
  wordsOf: Map<number, string[]>;
  /** Word and toolkits → whether the word is characteristic of them. */
  characteristic: Map<string, boolean>;
}

const TABLES = new WeakMap<readonly CatalogToolkit[], NameTables>();

function nameTables(directoryToolkits: readonly CatalogToolkit[]): NameTables {
  let tables = TABLES.get(directoryToolkits);
  if (tables !== undefined) return tables;
  tables = {
    vendors: new Map(),
    serviceWords: new Map(),
    wordsOf: new Map(),
    characteristic: new Map(),
  };
  for (const toolkit of directoryToolkits) {
    for (const vendor of [toolkit.vendor, ...(VENDOR_NICKNAMES.get(toolkit.vendor) ?? [])]) {
      append(tables.vendors, vendor, toolkit);
    }
    const vendorWords = new Set(splitWords(toolkit.vendor));
    const words = toolkit.name
      .split('-')
      .filter(
        (word) =>
          !vendorWords.has(word) &&
          word !== toolkit.vendor &&
          !/^\d+$/.test(word) &&
          !isStopword(word),
      );
    tables.wordsOf.set(toolkit.ref, words);
    for (const word of words) append(tables.serviceWords, word, toolkit);
  }
  TABLES.set(directoryToolkits, tables);
  return tables;
}

/** The names by which a prompt can refer to the services of one catalog view. */
export class ServiceNames {
  private readonly vendors: Map<string, CatalogToolkit[]>;
  private readonly serviceWords: Map<string, CatalogToolkit[]>;
  private readonly wordsOf: Map<number, string[]>;
  private readonly characteristic: Map<string, boolean>;
  private readonly registered: CatalogToolkit[] = [];

  constructor(private readonly view: CatalogView) {
    ({
      vendors: this.vendors,
      serviceWords: this.serviceWords,
      wordsOf: this.wordsOf,
      characteristic: this.characteristic,
    } = nameTables(view.directoryToolkits));
    for (const toolkit of view.toolkits) {
      if (toolkit.source === 'directory' || UTILITY_TOOLKITS.has(toolkit.name)) continue;
      this.registered.push(toolkit);
    }
  }

  /**
   * The services a prompt names. A vendor named with words of one of its services ("Google
   * Calendar") names that service, alone it names all its services; a characteristic service
   * word ("Gmail", "Jira") names its service without the vendor. Registered toolkits are named
   * when all the words of their name appear.
   */
  detect(prompt: string): NamedService[] {
    const words = promptWords(prompt);
    const present = new Map<string, PromptWord>();
    for (const word of words) if (!present.has(word.lower)) present.set(word.lower, word);
    // A service's own words must follow its vendor's name ("Google Calendar", "Amazon S3"):
    // elsewhere in the prompt they are ordinary words ("Handle CRM tasks … HubSpot").
    const follows = (own: string[], vendorWords: PromptWord[]) => {
      const last = vendorWords.at(-1);
      const at = last === undefined ? -1 : words.indexOf(last);
      return at >= 0 && own.every((word, offset) => words[at + 1 + offset]?.lower === word);
    };
    const named: NamedService[] = [];
    const claimed = new Set<number>();
    const nameToolkit = (toolkit: CatalogToolkit, used: string[]) => {
      if (claimed.has(toolkit.ref)) return;
      claimed.add(toolkit.ref);
      named.push({ level: 'toolkit', label: toolkit.name, toolkits: [toolkit], words: used });
    };

    for (const [key, written] of candidateKeys(words)) {
      const vendorToolkits = this.visible(this.vendors.get(key) ?? []);
      const serviceToolkits = this.visible(this.serviceWords.get(key) ?? []);
      if (vendorToolkits.length === 0 && serviceToolkits.length === 0) continue;
      const isCharacteristic = this.isCharacteristic(key, [...vendorToolkits, ...serviceToolkits]);
      const used = written.map((word) => word.text);
      if (isCharacteristic) {
        // A service named by its own name, without the vendor ("Gmail", "Jira"): all of it,
        // and its title must use it (Klarna's "openai" plugin is not named by "OpenAI").
        for (const toolkit of serviceToolkits) {
          const own = this.wordsOf.get(toolkit.ref) ?? [];
          const title = new Set(toolkit.title.toLowerCase().split(/[^\p{L}\p{N}]+/u));
          if (own.every((word) => present.has(word) && title.has(word))) {
            nameToolkit(
              toolkit,
              own.map((word) => present.get(word)?.text ?? word),
            );
          }
        }
      }
      if (vendorToolkits.length === 0 || !(isCharacteristic || isWrittenAsName(written))) continue;
      const specific = vendorToolkits.filter((toolkit) => {
        const own = this.wordsOf.get(toolkit.ref) ?? [];
        return own.length > 0 && follows(own, written);
      });
      for (const toolkit of specific) {
        const own = this.wordsOf.get(toolkit.ref) ?? [];
        nameToolkit(toolkit, [...used, ...own.map((word) => present.get(word)?.text ?? word)]);
      }
      if (specific.length === 0 && !named.some((service) => service.label === key)) {
        named.push({ level: 'vendor', label: key, toolkits: vendorToolkits, words: used });
      }
    }
    const split = new Set(words.flatMap((word) => splitWords(word.text)));
    for (const toolkit of this.registered) {
      const nameWords = splitWords(toolkit.name);
      if (nameWords.length > 0 && nameWords.every((word) => split.has(word))) {
        nameToolkit(
          toolkit,
          nameWords.map((word) => present.get(word)?.text ?? word),
        );
      }
    }
    return named;
  }

  /**
   * Capitalised single words listed with named services that name nothing in the catalog
   * ("Pipedrive" in "Connect Salesforce, HubSpot, and Pipedrive").
   */
  unknownNames(prompt: string, named: readonly NamedService[]): string[] {
    const namingWords = new Set(
      named.flatMap((service) => service.words.map((word) => word.toLowerCase())),
    );
    const unknown: string[] = [];
    for (const sentence of prompt.split(/[.!?;:\n]+/)) {
      const items = sentence
        .split(/,|\s+(?:and|or)\s+/i)
        .map((item) => promptWords(item).filter((word) => !/^(and|or)$/i.test(word.text)));
      if (!items.some((item) => item.some((word) => namingWords.has(word.lower)))) continue;
      for (const item of items) {
        const last = item.at(-1);
        if (last === undefined || !last.looksLikeName || namingWords.has(last.lower)) continue;
        if (item.some((word) => namingWords.has(word.lower))) continue;
        if (this.vendors.has(last.lower) || this.serviceWords.has(last.lower)) continue;
        if (!unknown.includes(last.text)) unknown.push(last.text);
      }
    }
    return unknown;
  }

  /** Without the directory toolkits a registered toolkit of the same name hides. */
  private visible(toolkits: CatalogToolkit[]): CatalogToolkit[] {
    return this.view.hasHiddenToolkits
      ? toolkits.filter((toolkit) => this.view.isVisible(toolkit))
      : toolkits;
  }

  /** Most of the directory's uses of `word` are in these toolkits' tools. */
  private isCharacteristic(word: string, toolkits: CatalogToolkit[]): boolean {
    const key = `${word} ${toolkits.map((toolkit) => toolkit.ref).join(',')}`;
    let result = this.characteristic.get(key);
    if (result === undefined) {
      const own = [...new Set(toolkits)].reduce((total, toolkit) => total + toolkit.toolCount, 0);
      const uses = this.view.directory?.toolLookup.get(stem(word))?.docs.length ?? 0;
      const others = Math.max(0, uses - own);
      result = own > 0 && others <= own * OTHER_USES_SHARE;
      this.characteristic.set(key, result);
    }
    return result;
  }
}

function append(map: Map<string, CatalogToolkit[]>, key: string, toolkit: CatalogToolkit): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [toolkit]);
  else if (!list.includes(toolkit)) list.push(toolkit);
}

/** Single words and adjacent pairs run together ("Send Grid" → "sendgrid"), lower-cased. */
function candidateKeys(words: PromptWord[]): Map<string, PromptWord[]> {
  const keys = new Map<string, PromptWord[]>();
  words.forEach((word, index) => {
    if (!keys.has(word.lower)) keys.set(word.lower, [word]);
    const next = words[index + 1];
    if (next !== undefined) {
      const pair = `${word.lower}${next.lower}`;
      if (!keys.has(pair)) keys.set(pair, [word, next]);
    }
  });
  return keys;
}

/** Capitalised like a name, where capitals mean something (not only at a sentence's start). */
function isWrittenAsName(words: PromptWord[]): boolean {
  const [first] = words;
  return first !== undefined && !first.sentenceInitial && words.every((word) => word.looksLikeName);
}

const NAMES = new WeakMap<CatalogView, ServiceNames>();

/** The names of a view's services, built once per view. */
export function serviceNamesOf(view: CatalogView): ServiceNames {
  let names = NAMES.get(view);
  if (names === undefined) {
    names = new ServiceNames(view);
    NAMES.set(view, names);
  }
  return names;
}
