import type { z } from 'zod';

/** What matching needs of a hot route. */
export interface MatchableRoute {
  /** The route as Fastify knows it: literal segments and `:name` parameters. */
  url: string;
  params: z.ZodType | undefined;
  querystring: z.ZodType | undefined;
}

/** A request for a hot route, with its parsed parameters and query (frozen: shared). */
export interface Matched<Route extends MatchableRoute> {
  route: Route;
  /** The path and query as received. */
  url: string;
  /** The route and its parsed input, one string: URLs that read the same have the same key. */
  key: string;
  params: unknown;
  query: unknown;
}

export interface HotRouteMatcher<Route extends MatchableRoute> {
  add(route: Route): void;
  /** The route and parsed input of a URL that needs nothing Fastify would decode or refuse. */
  match(url: string): Matched<Route> | undefined;
  /** Keeps the match of an answered URL, so that its next request is not parsed again. */
  remember(matched: Matched<Route>): void;
}

/** How many answered URLs' matches are remembered; all are forgotten when it is reached. */
const REMEMBERED_URLS = 1_000;
/** Longer URLs are matched anew each time. */
const REMEMBERED_URL_LENGTH = 256;

/** A path segment or query part that needs no decoding. */
const PLAIN_PART = /^[\w.~-]+$/;

/**
 * Matches URLs to hot routes with the routes' own schemas. A match is a pure function of the
 * URL (and the routes); only answered URLs are remembered (a poll repeats its URL), so
 * requests without a valid key add nothing.
 */
export function createHotRouteMatcher<Route extends MatchableRoute>(): HotRouteMatcher<Route> {
  // Each route's literal segments as strings; a parameter as its name in an array.
  const routes: { route: Route; segments: (string | [string])[] }[] = [];
  const remembered = new Map<string, Matched<Route>>();

  function matchNew(url: string): Matched<Route> | undefined {
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const segments = path.split('/');
    for (const compiled of routes) {
      const params = matchSegments(compiled.segments, segments);
      if (params === undefined) continue;
      const { route } = compiled;
      const query = queryStart === -1 ? {} : parsePlainQuery(url.slice(queryStart + 1));
      if (query === undefined) return undefined;
      const parsedParams = parseWith(route.params, params);
      const parsedQuery = parseWith(route.querystring, query);
      if (parsedParams === undefined || parsedQuery === undefined) return undefined;
      const input = { params: parsedParams.value, query: parsedQuery.value };
      const key = `${route.url}\n${JSON.stringify(input.params)}\n${JSON.stringify(input.query)}`;
      return { route, url, key, params: freeze(input.params), query: freeze(input.query) };
    }
    return undefined;
  }

  return {
    add(route) {
      remembered.clear();
      routes.push({
        route,
        segments: route.url
          .split('/')
          .map((segment) => (segment.startsWith(':') ? [segment.slice(1)] : segment)),
      });
    },
    match: (url) => remembered.get(url) ?? matchNew(url),
    remember(matched) {
      if (matched.url.length > REMEMBERED_URL_LENGTH || remembered.has(matched.url)) return;
      if (remembered.size >= REMEMBERED_URLS) remembered.clear();
      remembered.set(matched.url, matched);
    },
  };
}

/** Parsed input is shared by the requests of one URL: none may change it. */
function freeze(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? Object.freeze(value) : value;
}

function matchSegments(
  pattern: readonly (string | [string])[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index];
    const actual = segments[index] ?? '';
    if (expected === undefined) return undefined;
    if (typeof expected === 'string') {
      if (actual !== expected) return undefined;
    } else {
      // Anything Fastify would decode (or refuse) is left to it.
      if (!PLAIN_PART.test(actual)) return undefined;
      params[expected[0]] = actual;
    }
  }
  return params;
}

/**
 * `a=1&b=2` with plain names and values only; undefined for anything that needs decoding, a
 * repeated name or an empty part, which Fastify's parser reads its own way.
 */
function parsePlainQuery(query: string): Record<string, string> | undefined {
  const parsed: Record<string, string> = {};
  for (const part of query.split('&')) {
    const equals = part.indexOf('=');
    if (equals <= 0) return undefined;
    const name = part.slice(0, equals);
    const value = part.slice(equals + 1);
    if (!PLAIN_PART.test(name) || !PLAIN_PART.test(value)) return undefined;
    if (Object.hasOwn(parsed, name)) return undefined;
    parsed[name] = value;
  }
  return parsed;
}

/** Input parsed by the route's schema; a route without one takes no input at all. */
function parseWith(
  schema: z.ZodType | undefined,
  input: Record<string, string>,
): { value: unknown } | undefined {
  if (schema === undefined) return Object.keys(input).length === 0 ? { value: input } : undefined;
  const result = schema.safeParse(input);
  return result.success ? { value: result.data } : undefined;
}
