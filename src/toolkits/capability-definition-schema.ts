import { z } from 'zod';
import { BaseUrlSchema, ToolkitNameSchema } from './toolkit-field-schemas.js';

export const CAPABILITY_PARAMETER_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
] as const;

export const CapabilityParameterSchema = z.object({
  type: z.enum(CAPABILITY_PARAMETER_TYPES).optional(),
  required: z.boolean().optional(),
  default: z.unknown().optional(),
  description: z.string().max(1000).optional(),
  enum: z
    .array(z.union([z.string(), z.number(), z.boolean()]))
    .min(1)
    .max(100)
    .optional(),
  items: z.object({ type: z.enum(CAPABILITY_PARAMETER_TYPES) }).optional(),
});

export const CapabilitySchema = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,62}$/, 'use letters, digits, "_" or "-" (e.g. "search_contacts")'),
  description: z.string().max(2000).optional(),
  method: z
    .string()
    .regex(/^(GET|POST|PUT|PATCH|DELETE)$/i, 'must be GET, POST, PUT, PATCH or DELETE')
    .optional()
    .meta({ description: 'HTTP method (default POST).' }),
  path: z
    .string()
    .max(2000)
    .regex(/^\/[^\s?#]*$/, 'must start with "/" and have no spaces, query or fragment')
    .optional()
    .meta({
      description:
        'Path under base_url, `{arg}` placeholders filled from arguments (default `/<name>`).',
    }),
  parameters: z
    .record(
      z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use letters, digits, "_", "." or "-"'),
      CapabilityParameterSchema,
    )
    .optional(),
});

/** Ploton's custom tool definition, the `capabilities` flavour of POST /v1/toolkits. */
export const CapabilitiesDefinitionSchema = z.object({
  name: ToolkitNameSchema,
  description: z.string().trim().min(1).max(2000),
  version: z.string().max(100).optional(),
  base_url: BaseUrlSchema,
  capabilities: z.array(CapabilitySchema).min(1).max(2000),
});

export type CapabilityParameter = z.infer<typeof CapabilityParameterSchema>;
export type Capability = z.infer<typeof CapabilitySchema>;
export type CapabilitiesDefinition = z.infer<typeof CapabilitiesDefinitionSchema>;
