import type { Toolkit } from '../tool-definition.js';

/** Toolkits every project has without registering anything. */
export const builtinToolkits: readonly Toolkit[] = [
  {
    id: 'tk_builtin_http',
    name: 'http',
    description:
      'Fetch web pages and call HTTP APIs over the public internet: download a URL, read a web page as text, GET or POST JSON.',
    source: 'builtin',
    baseUrl: null,
    auth: { type: 'none' },
    tools: [
      {
        toolkit: 'http',
        action: 'fetch',
        description:
          'Fetch a public http(s) URL (web page or HTTP API) and return its status, final URL, a few useful headers and the body. HTML pages become readable text with a `title` (links shown as [url]); JSON is parsed; binary content is left out. Redirects are followed. 4xx answers such as 404 are returned, not failed. Bodies over 2 MB and text over 100,000 characters are cut (`truncated: true`). Private and internal network addresses are refused.',
        parameters: {
          type: 'object',
          properties: {
            url: { type: 'string', description: 'Absolute http(s) URL to fetch.' },
            method: {
              type: 'string',
              enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'],
              description: 'HTTP method (default GET).',
            },
            headers: {
              type: 'object',
              additionalProperties: { type: 'string' },
              description: 'Extra request headers.',
            },
            body: {
              description: 'Request body: a string, or a JSON value sent as application/json.',
            },
          },
          required: ['url'],
          additionalProperties: false,
        },
        binding: { kind: 'builtin', handler: 'http.fetch' },
        sideEffects: true,
      },
    ],
  },
  {
    id: 'tk_builtin_json',
    name: 'json',
    description:
      'Transform, filter, query and reshape JSON data with JSONata or JMESPath expressions.',
    source: 'builtin',
    baseUrl: null,
    auth: { type: 'none' },
    tools: [
      {
        toolkit: 'json',
        action: 'jsonata',
        description:
          'Evaluate a JSONata expression against JSON data to transform, filter, map, aggregate or reshape it. Example: `contacts[created > "2025-01-01"].{"name": name, "email": email}`.',
        parameters: {
          type: 'object',
          properties: {
            data: { description: 'The JSON input.' },
            expression: { type: 'string', description: 'A JSONata expression.' },
          },
          required: ['data', 'expression'],
          additionalProperties: false,
        },
        binding: { kind: 'builtin', handler: 'json.jsonata' },
        sideEffects: false,
      },
      {
        toolkit: 'json',
        action: 'jmespath',
        description:
          'Query JSON data with a JMESPath expression to select, filter and project fields. Example: `people[?age > `30`].name`.',
        parameters: {
          type: 'object',
          properties: {
            data: { description: 'The JSON input.' },
            expression: { type: 'string', description: 'A JMESPath expression.' },
          },
          required: ['data', 'expression'],
          additionalProperties: false,
        },
        binding: { kind: 'builtin', handler: 'json.jmespath' },
        sideEffects: false,
      },
    ],
  },
  {
    id: 'tk_builtin_code',
    name: 'code',
    description:
      'Run a JavaScript snippet in an isolated sandbox to compute, parse, convert or format data.',
    source: 'builtin',
    baseUrl: null,
    auth: { type: 'none' },
    tools: [
      {
        toolkit: 'code',
        action: 'run_javascript',
        description:
          "Run JavaScript (ES2023) in a sandbox: no network, filesystem, timers or modules; about 5 seconds of CPU and 32 MB of memory per run. The snippet is the body of an async function: the argument is available as `input`, `await` works on the snippet's own promises, and it must `return` a JSON-serializable value. Output is `{result, logs}`, where logs holds console.log/console.error lines.",
        parameters: {
          type: 'object',
          properties: {
            code: {
              type: 'string',
              description: 'Function body, e.g. `return input.items.length;`',
            },
            input: { description: 'Any JSON value passed to the snippet as `input`.' },
          },
          required: ['code'],
          additionalProperties: false,
        },
        binding: { kind: 'builtin', handler: 'code.run_javascript' },
        sideEffects: false,
      },
    ],
  },
];

/** Toolkits attached to every subagent: domain-neutral data utilities with no network access. */
export const UTILITY_TOOLKITS: ReadonlySet<string> = new Set(['json', 'code']);
