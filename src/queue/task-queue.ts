/** A task this worker now owns, with the fencing token its writes must carry. */
export interface ClaimedTask {
  id: string;
  leaseToken: number;
  attempts: number;
}

/**
 * Where workers get work. The embedded and PostgreSQL deployments use the tasks table itself
 * (claim with a lease and a fencing token); every claim bumps the token, so a worker whose
 * lease was taken over can no longer write.
 */
export interface TaskQueue {
  /** Claims up to `max` runnable tasks: pending ones that are due, and running ones whose lease expired. */
  claim(owner: string, max: number): Promise<ClaimedTask[]>;
  /** Extends the leases of every task `owner` runs; returns the ids it still owns. */
  heartbeat(owner: string): Promise<Set<string>>;
  /** Gives a task back without finishing it (e.g. shutdown): it becomes claimable at once. */
  release(owner: string, taskId: string, leaseToken: number): Promise<void>;
}
