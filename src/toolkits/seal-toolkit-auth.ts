import { assertNever } from '../errors/index.js';
import type { SecretBox } from '../secrets/index.js';
import type { ToolkitAuth } from '../tools/index.js';
import type { ToolkitAuthInput } from './toolkit-schemas.js';

/** The auth as stored: secrets sealed with the server's key, environment names as given. */
export function sealToolkitAuth(
  input: ToolkitAuthInput | undefined,
  secretBox: SecretBox,
): ToolkitAuth {
  if (input === undefined) return { type: 'none' };
  const envVar = (name: string | undefined) => (name === undefined ? {} : { envVar: name });
  switch (input.type) {
    case 'none':
      return { type: 'none' };
    case 'api_key':
      return {
        type: 'api_key',
        header: input.header,
        ...(input.value === undefined ? {} : { value: secretBox.seal(input.value) }),
        ...envVar(input.env_var),
        ...(input.prefix === undefined ? {} : { prefix: input.prefix }),
      };
    case 'bearer':
      return {
        type: 'bearer',
        ...(input.token === undefined ? {} : { token: secretBox.seal(input.token) }),
        ...envVar(input.env_var),
      };
    case 'basic':
      return {
        type: 'basic',
        username: input.username,
        ...(input.password === undefined ? {} : { password: secretBox.seal(input.password) }),
        ...envVar(input.env_var),
      };
    default:
      return assertNever(input, 'toolkit auth type');
  }
}
