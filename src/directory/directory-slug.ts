import { splitWords } from '../tools/ranking/index.js';

/**
 * Providers whose domain is an API host rather than the brand people name. Kept to domains
 * whose name alone would not be recognised; every other vendor name comes from its domain.
 */
const VENDOR_ALIASES: ReadonlyMap<string, string> = new Map([
  ['amazonaws.com', 'aws'],
  ['googleapis.com', 'google'],
  ['hubapi.com', 'hubspot'],
  ['squareup.com', 'square'],
  ['postmarkapp.com', 'postmark'],
  ['bufferapp.com', 'buffer'],
  ['ote-godaddy.com', 'godaddy'],
]);

/** Second-level labels under a country code ("co.uk", "gov.in"): the name is the label before. */
const GENERIC_SECOND_LEVEL: ReadonlySet<string> = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gob',
  'gov',
  'govt',
  'net',
  'nic',
  'or',
  'org',
]);

/** Hosting platforms whose subdomain is the service's own name ("x.herokuapp.com" is "x"). */
const HOSTING_PLATFORMS: ReadonlySet<string> = new Set([
  'appspot',
  'azurewebsites',
  'cloudfunctions',
  'github',
  'gitlab',
  'herokuapp',
  'netlify',
  'vercel',
]);

/** Words that name no service in particular ("Stripe API", "CheckoutService"). */
const FILLER_WORDS: ReadonlySet<string> = new Set([
  'api',
  'apis',
  'openapi',
  'swagger',
  'rest',
  'service',
  'services',
]);

/** The longest slug: leaves `<slug>__` at least 22 characters of a 64-character tool name. */
export const MAX_SLUG_LENGTH = 40;

export interface SpecName {
  /** The spec's id in the directory: `provider` or `provider/service`, e.g. `hubapi.com/crm`. */
  specId: string;
  /** The vendor as people name it, lower-case: `hubspot`. */
  vendor: string;
  /** Words of the service after the vendor: `["crm"]`. */
  serviceWords: string[];
}

/** The vendor name of a provider domain: `stripe.com` → `stripe`, `bbci.co.uk` → `bbci`. */
export function vendorOf(provider: string): string {
  const domain = provider.toLowerCase();
  const alias = VENDOR_ALIASES.get(domain);
  if (alias !== undefined) return alias;
  const labels = domain.split('.').filter((label) => label !== '');
  if (labels.length > 1) labels.pop();
  if (labels.length > 1 && GENERIC_SECOND_LEVEL.has(labels.at(-1) ?? '')) labels.pop();
  if (labels.length > 1 && HOSTING_PLATFORMS.has(labels.at(-1) ?? '')) labels.pop();
  return sanitize(labels.at(-1) ?? domain);
}

/**
 * Splits a spec id into vendor and service words. Service words drop what repeats the vendor
 * or the domain (`twilio.com/twilio_chat_v1` → `chat v1`), filler (`api`, `service`), repeated
 * words, and a word that is the following words run together (`adhybridhealthservice-AD
 * Hybrid Health Service` keeps the spelled-out form).
 */
export function nameSpec(specId: string): SpecName {
  const [provider = specId, ...rest] = specId.split('/');
  const vendor = vendorOf(provider);
  const domainWords = new Set(splitWords(provider));
  const words = rest.length === 0 ? [] : splitWords(rest.join(' '));
  const kept = words.filter((word, index) => {
    if (isNumber(word)) return true;
    return (
      word !== vendor &&
      !domainWords.has(word) &&
      !FILLER_WORDS.has(word) &&
      words.indexOf(word) === index &&
      !isRunTogether(word, words.slice(index + 1))
    );
  });
  return { specId, vendor, serviceWords: kept };
}

/**
 * Slugs for every spec, unique and stable: `vendor-service-words`, cut to MAX_SLUG_LENGTH at a
 * word boundary. When two specs would share a slug, the one without a service name (or else
 * the first by id) keeps it; the others keep their filler words, then get `-2`, `-3`…
 * `reserved` names (built-in toolkits) are never given out.
 */
export function assignSlugs(
  specIds: readonly string[],
  reserved: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const named = [...specIds]
    .sort((left, right) => compareSpecs(left, right))
    .map((specId) => nameSpec(specId));
  const taken = new Set(reserved);
  const slugs = new Map<string, string>();
  const pending: SpecName[] = [];
  for (const spec of named) {
    const slug = joinSlug([spec.vendor, ...spec.serviceWords]);
    if (taken.has(slug)) pending.push(spec);
    else {
      taken.add(slug);
      slugs.set(spec.specId, slug);
    }
  }
  for (const spec of pending) {
    const [provider = spec.specId, ...rest] = spec.specId.split('/');
    const domainWords = new Set(splitWords(provider));
    const fuller = joinSlug([
      spec.vendor,
      ...splitWords(rest.join(' ')).filter(
        (word, index, all) =>
          isNumber(word) ||
          (word !== spec.vendor && !domainWords.has(word) && all.indexOf(word) === index),
      ),
    ]);
    let slug = fuller === '' || taken.has(fuller) ? '' : fuller;
    for (let suffix = 2; slug === ''; suffix++) {
      const base = fuller || joinSlug([vendorOf(provider)]);
      const candidate = `${base.slice(0, MAX_SLUG_LENGTH - String(suffix).length - 1)}-${suffix}`;
      if (!taken.has(candidate)) slug = candidate;
    }
    taken.add(slug);
    slugs.set(spec.specId, slug);
  }
  return slugs;
}

/** Specs without a service first, then by id: who keeps a contested slug. */
function compareSpecs(left: string, right: string): number {
  const leftHasService = left.includes('/') ? 1 : 0;
  const rightHasService = right.includes('/') ? 1 : 0;
  if (leftHasService !== rightHasService) return leftHasService - rightHasService;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `vendor-word-word`; when longer than MAX_SLUG_LENGTH, service words are dropped from the front,
 * since the last ones are the most specific (`microsoft-cognitiveservices-computer-vision` →
 * `microsoft-computer-vision`).
 */
function joinSlug(words: string[]): string {
  const [vendor = '', ...service] = words.map(sanitize).filter((word) => word !== '');
  let rest = service;
  const join = () => [vendor, ...rest].join('-');
  while (rest.length > 0 && join().length > MAX_SLUG_LENGTH) rest = rest.slice(1);
  return join().slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
}

function isNumber(word: string): boolean {
  return /^\d+$/.test(word);
}

function sanitize(word: string): string {
  return word
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `word` is two or more of the following words run together. */
function isRunTogether(word: string, following: readonly string[]): boolean {
  let joined = '';
  for (const [index, next] of following.entries()) {
    joined += next;
    if (joined === word) return index > 0;
    if (joined.length >= word.length || !word.startsWith(joined)) return false;
  }
  return false;
}
