import { describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../src/outbound/index.js';
import { createBuiltinHandlers } from '../../../src/tools/builtins/index.js';
import { ToolError } from '../../../src/tools/tool-error.js';
import { createToolCallContext } from './create-tool-call-context.js';

const handlers = createBuiltinHandlers({
  fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [] }),
});
const jsonata = handlers['json.jsonata']!;
const jmespath = handlers['json.jmespath']!;

const contacts = {
  contacts: [
    { name: 'Ada', email: 'ada@example.com', created: '2025-03-01', deals: [100, 250] },
    { name: 'Grace', email: 'grace@example.com', created: '2024-11-20', deals: [75] },
    { name: 'Linus', email: 'linus@example.com', created: '2025-06-15', deals: [] },
  ],
};

async function rejection(promise: Promise<unknown>): Promise<ToolError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('json.jsonata', () => {
  it('filters and reshapes data', async () => {
    const { output, note } = await jsonata(
      {
        data: contacts,
        expression: 'contacts[created > "2025-01-01"].{"name": name, "total": $sum(deals)}',
      },
      createToolCallContext(),
    );
    expect(output).toEqual({
      result: [
        { name: 'Ada', total: 350 },
        { name: 'Linus', total: 0 },
      ],
    });
    expect(note).toBe('array of 2 items');
  });

  it('returns a single match as a value, not a sequence', async () => {
    const { output } = await jsonata(
      { data: contacts, expression: 'contacts[name = "Grace"].email' },
      createToolCallContext(),
    );
    expect(output).toEqual({ result: 'grace@example.com' });
  });

  it('returns null and says so when nothing matches', async () => {
    const { output, note } = await jsonata(
      { data: contacts, expression: 'contacts[name = "Nobody"]' },
      createToolCallContext(),
    );
    expect(output).toEqual({ result: null });
    expect(note).toBe('no match');
  });

  it('reports a syntax error as invalid_expression with its position', async () => {
    const error = await rejection(
      jsonata({ data: contacts, expression: 'contacts[name = ]' }, createToolCallContext()),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^JSONata error S\d+ at position \d+/);
  });

  it('reports an evaluation error as invalid_expression', async () => {
    const error = await rejection(
      jsonata({ data: contacts, expression: '$sum(contacts.name)' }, createToolCallContext()),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toContain('T0412');
  });

  it('stops deep recursion as invalid_expression', async () => {
    const error = await rejection(
      jsonata(
        { data: {}, expression: '($f := function($x) { $f($x + 1) + 1 }; $f(0))' },
        createToolCallContext(),
      ),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toContain('D1011');
  });

  it('stops an endless loop at the call timeout as invalid_expression', async () => {
    const error = await rejection(
      jsonata(
        { data: {}, expression: '($f := function($x) { $f($x + 1) }; $f(0))' },
        createToolCallContext({ timeoutMs: 300 }),
      ),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toContain('D1012');
    expect(error.message).toContain('300 milliseconds');
  });

  it('rejects a missing expression as invalid input', async () => {
    const error = await rejection(jsonata({ data: contacts }, createToolCallContext()));
    expect(error.code).toBe('invalid_input');
  });

  it('rejects with the abort reason when the call is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('task cancelled'));
    await expect(
      jsonata(
        { data: contacts, expression: 'contacts.name' },
        createToolCallContext({ signal: controller.signal }),
      ),
    ).rejects.toThrow('task cancelled');
  });
});

describe('json.jmespath', () => {
  it('selects and projects fields', async () => {
    const { output, note } = await jmespath(
      { data: contacts, expression: 'contacts[?length(deals) > `0`].name' },
      createToolCallContext(),
    );
    expect(output).toEqual({ result: ['Ada', 'Grace'] });
    expect(note).toBe('array of 2 items');
  });

  it('supports functions such as sort_by and length', async () => {
    const { output } = await jmespath(
      {
        data: contacts,
        expression: '{first: sort_by(contacts, &created)[0].name, count: length(contacts)}',
      },
      createToolCallContext(),
    );
    expect(output).toEqual({ result: { first: 'Grace', count: 3 } });
  });

  it('reports a syntax error as invalid_expression', async () => {
    const error = await rejection(
      jmespath({ data: contacts, expression: 'contacts[?' }, createToolCallContext()),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toMatch(/^JMESPath error: Syntax error/);
  });

  it('reports an unknown function as invalid_expression', async () => {
    const error = await rejection(
      jmespath({ data: contacts, expression: 'no_such_fn(contacts)' }, createToolCallContext()),
    );
    expect(error.code).toBe('invalid_expression');
    expect(error.message).toContain('no_such_fn');
  });

  it('rejects missing data as invalid input', async () => {
    const error = await rejection(jmespath({ expression: 'a' }, createToolCallContext()));
    expect(error.code).toBe('invalid_input');
  });
});
