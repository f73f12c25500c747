/** Why a service is in a domain. */
export type ServiceReason = 'named' | 'capability' | 'fallback';

export interface ChosenService {
  toolkit: string;
  reason: ServiceReason;
  /** The prompt's words behind it: the name used, or the capabilities it answers. */
  words: string[];
}
