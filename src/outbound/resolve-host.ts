import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS resolution as the guarded connector sees it; `family` 0 means either. */
export type ResolveHost = (hostname: string, family: 0 | 4 | 6) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts applies), returning every answer. */
export const resolveWithSystemDns: ResolveHost = async (hostname, family) => {
  const answers = await lookup(hostname, { all: true, family });
  return answers.map((answer) => ({
    address: answer.address,
    family: answer.family === 6 ? 6 : 4,
  }));
};
