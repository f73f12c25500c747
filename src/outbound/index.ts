export {
  createGuardedFetch,
  type GuardedFetch,
  type GuardedFetchOptions,
} from './create-guarded-fetch.js';
export {
  OutboundBlockedError,
  isOutboundBlockedError,
  type BlockedRange,
} from './outbound-blocked-error.js';
export { OutboundRedirectError, isOutboundRedirectError } from './outbound-redirect-error.js';
export { classifyAddress, type AddressRange } from './classify-address.js';
export { assertHostPermitted, effectivePort } from './assert-host-permitted.js';
export { createHostAllowlist, type HostAllowlist } from './host-allowlist.js';
export type { ResolveHost, ResolvedAddress } from './resolve-host.js';
