import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { Ports } from './deps.ts';
import type { LockKind } from './table.ts';
import { RunInProgressError } from './errors.ts';
import { logger } from './logger.ts';

/**
 * One run at a time. EventBridge Scheduler may deliver a firing twice, and a rerun may be started
 * while the scheduled one still works: every run function that could overlap itself (monthly run,
 * statement run per part, disclosure run, quarterly list, reminder run) first takes the run's
 * lease, a conditional put of `RUN#<scope>` / `LOCK#<kind>` (keys.runLock) with its owner and an
 * expiry a little past the invocation's time left. A second invocation finds the lease live and is
 * refused with RunInProgressError before it reads or writes anything; a holder that crashed (Lambda
 * timeout, out of memory) leaves a lease that expires, and the next run takes it over. The same
 * owner takes its own lease again: a Lambda retry of an asynchronous invocation keeps its request id,
 * and a statement segment retried by its state machine keeps the execution's id. The holder
 * releases it when done (the run record says what it did; the lease only who runs).
 */

/** Past the invocation's end: a clock skew or a slow release never lets a second run in early. */
export const LEASE_MARGIN_MS = 60_000;
/** A run with no time limit given holds its lease this long (Lambda's longest timeout) unless renewed. */
export const DEFAULT_HOLD_MS = 15 * 60_000;

export interface RunLeaseOptions {
  /** Who runs: the invocation's id (see `leaseOwner`); a fresh id by default (each call its own run). */
  runId?: string | undefined;
  /** The invocation's time left (Lambda's): the lease lasts that long and the margin. */
  timeLeftMs?: (() => number) | undefined;
}

export interface HeldLease {
  /** Moves the expiry on by the time left again (a run that outlives its first estimate); false when lost. */
  renew(): Promise<boolean>;
}

/**
 * How a handler leases its run, for as long as the invocation may last: owned by the id the invoker
 * gave it (the statement run's execution), else by the request id. Locally the process that holds
 * the store's lock owns every lease (RUN_LEASE_OWNER), so a run killed and started again takes its
 * own leases back (its executions' ids are new, its clock starts again at the run's hour).
 */
export function invocationLease(context: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>, runId?: string): RunLeaseOptions {
  return { runId: process.env.RUN_LEASE_OWNER ?? runId ?? context.awsRequestId, timeLeftMs: () => context.getRemainingTimeInMillis() };
}

/** Runs `work` holding the run's lease; refuses (RunInProgressError) when another owner's lease is live. */
export async function withRunLease<T>(
  deps: Ports<'runs' | 'clock'>, run: { scope: string; kind: LockKind; name: string }, options: RunLeaseOptions, work: (lease: HeldLease) => Promise<T>,
): Promise<T> {
  const owner = options.runId ?? randomUUID();
  const lease = () => {
    const now = deps.clock.now();
    return { scope: run.scope, kind: run.kind, owner, now, expiresAt: new Date(now.getTime() + (options.timeLeftMs?.() ?? DEFAULT_HOLD_MS) + LEASE_MARGIN_MS) };
  };
  if (!(await deps.runs.takeLease(lease()))) {
    logger.warn('Run refused: another run holds its lease', { run: run.name, scope: run.scope, lock: run.kind });
    throw new RunInProgressError(run.name, run.scope);
  }
  try {
    return await work({ renew: () => deps.runs.renewLease(lease()) });
  } finally {
    if (!(await deps.runs.releaseLease({ scope: run.scope, kind: run.kind, owner, now: deps.clock.now() }))) {
      logger.warn('Run lease lost before release (it expired and was taken over)', { run: run.name, scope: run.scope, lock: run.kind });
    }
  }
}

/** The lock kind of a run over scan segments: the whole (`base#all`) or its part (`base#0,1/4`), as its run record is named. */
export function partLockKind(base: 'SUMMARY' | 'STATEMENTS', part: { segments: readonly number[]; totalSegments: number }): LockKind {
  return `${base}#${part.segments.length === part.totalSegments ? 'all' : `${part.segments.join(',')}/${part.totalSegments}`}`;
}

/**
 * A run that spans invocations (the monthly run's state machine: plan, segments, summary) holds its
 * lease from its first step to its last, owned by the execution: `holdRunLease` takes it for
 * `holdMs` (the state machine's timeout), refusing like `withRunLease`; `releaseRunLease` gives it up.
 */
export async function holdRunLease(deps: Ports<'runs' | 'clock'>, run: { scope: string; kind: LockKind; name: string }, owner: string, holdMs: number): Promise<void> {
  const now = deps.clock.now();
  if (!(await deps.runs.takeLease({ scope: run.scope, kind: run.kind, owner, now, expiresAt: new Date(now.getTime() + holdMs + LEASE_MARGIN_MS) }))) {
    logger.warn('Run refused: another run holds its lease', { run: run.name, scope: run.scope, lock: run.kind });
    throw new RunInProgressError(run.name, run.scope);
  }
}

export async function releaseRunLease(deps: Ports<'runs' | 'clock'>, run: { scope: string; kind: LockKind; name: string }, owner: string): Promise<void> {
  if (!(await deps.runs.releaseLease({ scope: run.scope, kind: run.kind, owner, now: deps.clock.now() }))) {
    logger.warn('Run lease lost before release (it expired and was taken over)', { run: run.name, scope: run.scope, lock: run.kind });
  }
}
