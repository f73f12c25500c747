import { describe, expect, it } from 'vitest';
import { evalToolFields } from '../../src/eval/eval-tool-fields.js';

describe('evalToolFields', () => {
  it('maps the grouping to the toolkit, the name to the action and keeps flat parameter text', () => {
    expect(
      evalToolFields({
        id: 'analyzeEvidence',
        name: 'analyzeEvidence',
        description: 'Analyze the evidence',
        params: 'sample The sample to analyze',
        field: 'Chemistry/Forensics',
      }),
    ).toEqual({
      toolkit: 'Chemistry/Forensics',
      action: 'analyzeEvidence',
      description: 'Analyze the evidence',
      parameters: 'sample The sample to analyze',
    });
  });

  it('flattens parameter lists and JSON-schema properties into names and descriptions', () => {
    const base = { id: 't', name: 't', description: '' };
    expect(
      evalToolFields({ ...base, params: [{ name: 'city', description: 'City name' }, 'units'] })
        .parameters,
    ).toBe('city City name units');
    expect(
      evalToolFields({ ...base, params: { city: { type: 'string', description: 'City name' } } })
        .parameters,
    ).toBe('city City name');
  });

  it('leaves the toolkit empty when the tool has no grouping', () => {
    expect(evalToolFields({ id: 't', name: 't', description: 'd' }).toolkit).toBe('');
  });
});
