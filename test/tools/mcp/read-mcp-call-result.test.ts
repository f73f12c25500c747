import { describe, expect, it } from 'vitest';
import { isToolError } from '../../../src/tools/index.js';
import { readMcpCallResult } from '../../../src/tools/mcp/read-mcp-call-result.js';

const reading = { toolName: 'fetch_report', secrets: ['tok_5e2d7c9b1a'] };
const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

describe('readMcpCallResult', () => {
  it('describes audio and binary resources by type and size, and includes text resources', () => {
    const result = readMcpCallResult(
      {
        content: [
          { type: 'audio', mimeType: 'audio/wav', data: base64Of(2_000) },
          {
            type: 'resource',
            resource: {
              uri: 'file:///report.pdf',
              mimeType: 'application/pdf',
              blob: base64Of(1_500),
            },
          },
          { type: 'resource', resource: { uri: 'file:///notes.txt', text: 'Quarterly notes' } },
        ],
      },
      reading,
    );
    expect(result.output).toBe(
      [
        '[audio: audio/wav, 2.0 kB, not shown]',
        '[resource <file:///report.pdf> (application/pdf), 1.5 kB of binary data, not shown]',
        '[resource <file:///notes.txt>]\nQuarterly notes',
      ].join('\n\n'),
    );
    expect(result.note).toBe('1 audio, 2 resources');
  });

  it('answers null with a note when the tool returns no content', () => {
    expect(readMcpCallResult({ content: [] }, reading)).toEqual({
      output: null,
      note: 'no content',
    });
  });

  it('scrubs secrets from text and from structured content', () => {
    const result = readMcpCallResult(
      {
        content: [{ type: 'text', text: 'token tok_5e2d7c9b1a accepted' }],
        structuredContent: { echoed: { token: 'tok_5e2d7c9b1a' }, list: ['tok_5e2d7c9b1a'] },
      },
      reading,
    );
    expect(result.output).toEqual({ echoed: { token: '[redacted]' }, list: ['[redacted]'] });
  });

  it('cuts text beyond the limit and says so', () => {
    const result = readMcpCallResult(
      { content: [{ type: 'text', text: 'x'.repeat(50) }] },
      { ...reading, maxTextChars: 20 },
    );
    expect(result.output).toBe(`${'x'.repeat(20)}\n[truncated: 50 characters in all]`);
    expect(result.note).toBe('1 text block, truncated');
  });

  it('throws a non-retryable mcp_tool_error with the text of an isError result, secrets scrubbed', () => {
    let caught: unknown;
    try {
      readMcpCallResult(
        {
          isError: true,
          content: [{ type: 'text', text: 'Report not found for token tok_5e2d7c9b1a' }],
        },
        reading,
      );
    } catch (error) {
      caught = error;
    }
    expect(isToolError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'mcp_tool_error',
      retryable: false,
      message: 'The MCP tool fetch_report reported an error: Report not found for token [redacted]',
    });
  });

  it('says no details were given when an isError result has no text', () => {
    expect(() => readMcpCallResult({ isError: true, content: [] }, reading)).toThrow(
      'The MCP tool fetch_report reported an error: no details given',
    );
  });
});
