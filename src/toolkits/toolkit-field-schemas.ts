import { z } from 'zod';
import { isReservedEnvVarName } from '../tools/http/is-reserved-env-var-name.js';
import { toAbsoluteHttpUrl } from './to-absolute-http-url.js';

export const TOOLKIT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

export const ToolkitNameSchema = z
  .string()
  .regex(
    TOOLKIT_NAME_PATTERN,
    'use 1 to 40 lower-case letters, digits or "-", starting with a letter or digit (e.g. "internal-crm")',
  )
  .meta({ example: 'internal-crm' });

export const BaseUrlSchema = z
  .string()
  .max(2000)
  .refine(
    (text) => toAbsoluteHttpUrl(text) !== null,
    'must be an absolute http(s) URL without credentials, query or fragment, e.g. "https://crm.example.com/api/v2"',
  )
  .meta({ example: 'https://crm.internal.yourcompany.com/api/v2' });

export const EnvVarNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
    'must be an environment variable name such as CRM_API_KEY',
  )
  .refine(
    (name) => !isReservedEnvVarName(name),
    "names starting with CADRE_ hold Cadre's own settings and cannot be used for toolkit credentials",
  )
  .meta({ example: 'INTERNAL_CRM_API_KEY' });
