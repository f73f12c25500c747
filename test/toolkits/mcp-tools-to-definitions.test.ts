import { describe, expect, it } from 'vitest';
import { toolName } from '../../src/tools/index.js';
import type { McpTool } from '../../src/tools/mcp/index.js';
import { mcpToolsToDefinitions } from '../../src/toolkits/mcp/mcp-tools-to-definitions.js';

function mcpTool(overrides: Partial<McpTool> & { name: string }): McpTool {
  return { inputSchema: { type: 'object', properties: {} }, ...overrides };
}

describe('mcpToolsToDefinitions', () => {
  it('binds each tool to its name on the server and keeps its description and input schema', () => {
    const { tools, warnings } = mcpToolsToDefinitions(
      [
        mcpTool({
          name: 'get-sum',
          description: 'Returns the sum of two numbers',
          inputSchema: {
            type: 'object',
            properties: {
              a: { type: 'number', description: 'First number' },
              b: { type: 'number' },
            },
            required: ['a', 'b'],
          },
          annotations: { readOnlyHint: true },
        }),
      ],
      'everything',
    );
    expect(warnings).toEqual([]);
    expect(tools).toEqual([
      {
        toolkit: 'everything',
        action: 'get-sum',
        description: 'Returns the sum of two numbers',
        parameters: {
          type: 'object',
          properties: { a: { type: 'number', description: 'First number' }, b: { type: 'number' } },
          required: ['a', 'b'],
        },
        binding: { kind: 'mcp', toolName: 'get-sum' },
        sideEffects: false,
      },
    ]);
  });

  it('counts a tool as side-effect free only when it declares readOnlyHint', () => {
    const { tools } = mcpToolsToDefinitions(
      [
        mcpTool({ name: 'read', annotations: { readOnlyHint: true } }),
        mcpTool({ name: 'write', annotations: { readOnlyHint: false } }),
        mcpTool({ name: 'unknown' }),
        mcpTool({ name: 'safe-looking', annotations: { destructiveHint: false } }),
      ],
      'files',
    );
    expect(tools.map((tool) => [tool.action, tool.sideEffects])).toEqual([
      ['read', false],
      ['write', true],
      ['unknown', true],
      ['safe-looking', true],
    ]);
  });

  it('makes names provider-safe and unique, within 64 characters with the toolkit prefix', () => {
    const long = `search.${'documents_'.repeat(10)}`;
    const { tools } = mcpToolsToDefinitions(
      [
        mcpTool({ name: 'files/list' }),
        mcpTool({ name: 'files.list' }),
        mcpTool({ name: 'créer fichier' }),
        mcpTool({ name: long }),
      ],
      'document-store',
    );
    const names = tools.map(toolName);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(tools.map((tool) => tool.action).slice(0, 3)).toEqual([
      'files_list',
      'files_list_2',
      'creer_fichier',
    ]);
    expect(tools.map((tool) => tool.binding)).toEqual([
      { kind: 'mcp', toolName: 'files/list' },
      { kind: 'mcp', toolName: 'files.list' },
      { kind: 'mcp', toolName: 'créer fichier' },
      { kind: 'mcp', toolName: long },
    ]);
  });

  it('resolves $defs references and drops keywords the model does not need', () => {
    const { tools } = mcpToolsToDefinitions(
      [
        mcpTool({
          name: 'create_issue',
          inputSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            properties: { issue: { $ref: '#/$defs/Issue' } },
            required: ['issue'],
            $defs: {
              Issue: {
                type: 'object',
                title: 'Issue',
                properties: { title: { type: 'string', examples: ['Crash on start'] } },
                required: ['title'],
              },
            },
          },
        }),
      ],
      'tracker',
    );
    expect(tools[0]?.parameters).toEqual({
      type: 'object',
      properties: {
        issue: {
          type: 'object',
          properties: { title: { type: 'string' } },
          required: ['title'],
        },
      },
      required: ['issue'],
    });
  });

  it('gives a tool without arguments an empty object schema', () => {
    const { tools } = mcpToolsToDefinitions(
      [mcpTool({ name: 'ping', inputSchema: { type: 'object' } })],
      'probe',
    );
    expect(tools[0]?.parameters).toEqual({ type: 'object', properties: {} });
  });

  it('skips, with a warning, tools that run only as MCP tasks and tools whose schema cannot be resolved', () => {
    const { tools, warnings } = mcpToolsToDefinitions(
      [
        mcpTool({ name: 'research', execution: { taskSupport: 'required' } }),
        mcpTool({ name: 'maybe-task', execution: { taskSupport: 'optional' } }),
        mcpTool({
          name: 'broken',
          inputSchema: { type: 'object', properties: { x: { $ref: '#/$defs/Missing' } } },
        }),
      ],
      'server',
    );
    expect(tools.map((tool) => tool.action)).toEqual(['maybe-task']);
    expect(warnings).toEqual([
      "The MCP tool 'research' was skipped: it runs only as an MCP task, which Cadre does not support yet.",
      expect.stringMatching(
        /^The MCP tool 'broken' was skipped: The input schema of the MCP tool 'broken' has a \$ref .* that does not resolve/,
      ),
    ]);
  });

  it('falls back to the title, then to a sentence naming the tool, when there is no description', () => {
    const { tools } = mcpToolsToDefinitions(
      [mcpTool({ name: 'titled', title: 'A Titled Tool' }), mcpTool({ name: 'bare' })],
      'server',
    );
    expect(tools.map((tool) => tool.description)).toEqual([
      'A Titled Tool',
      'The bare tool of the MCP server.',
    ]);
  });
});
