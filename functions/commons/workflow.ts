import { ExecutionAlreadyExists, InvalidToken, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { ids } from './ids.ts';
import type { EscalationInput, TaskResult } from '../steps/payloads.ts';
import { backoffDelayMs, drain, reserve, tokenBucket, type Backoff, type TokenBucket } from '../core/pacing.ts';
import { operations } from './operations.ts';

/** What a start found: a new execution, or the unit's execution for the cycle already there (started by an earlier attempt or run). */
export type StartOutcome = 'started' | 'already-started';

/** The escalation workflow as the steps see it: start one per unit and cycle, resume a waiting task. */
export interface Workflow {
  /**
   * Starts the unit's escalation for the cycle; a second start of the same one starts nothing
   * (`already-started`). Paced to the account's quota; `onThrottled` hears of each throttled attempt.
   */
  startEscalation(input: EscalationInput, hooks?: { onThrottled?(): void }): Promise<StartOutcome>;
  /** Resumes the execution waiting on a task; `gone` when it no longer waits (timed out, stopped). */
  resumeTask(token: string, result: TaskResult): Promise<'resumed' | 'gone'>;
}

/** How starts are paced: this caller's share of the account's StartExecution bucket, and the backoff when throttled anyway. */
export interface StartPacing {
  bucket: number;
  perSecond: number;
  backoff: Backoff;
  /** Test seams: the clock (ms), waiting, and the jitter's randomness. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * Retries of a throttled start: from 100 ms doubling to 20 s, 12 attempts (about 2.5 minutes of
 * backoff at worst). Past that the segment's invocation fails, its state machine runs it again
 * (starts already made are found by name), and a segment that still cannot finish is reported.
 */
export const START_BACKOFF: Backoff = { baseMs: 100, capMs: 20_000, maxAttempts: 12 };

/** The pacing the function's environment gives (its share of the quota, from the deployment configuration). */
export function configuredPacing(): StartPacing {
  const o = operations();
  return { bucket: o.START_EXECUTION_BUCKET, perSecond: o.START_EXECUTION_PER_SECOND, backoff: START_BACKOFF };
}

/** Throttling as Step Functions (and the SDK) signal it. */
function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'ThrottlingException' || e?.$metadata?.httpStatusCode === 429;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Step Functions: executions named by unit and cycle, callbacks by task token. Starts take a token
 * from this caller's bucket first (so a segment never asks faster than its share of the quota), and
 * a start throttled anyway (someone else used the account's bucket) waits a jittered, growing time
 * and tries again: no unit is dropped. The name makes a start idempotent: an attempt whose answer
 * was lost and is tried again, or a rerun, finds ExecutionAlreadyExists (or, the same input while it
 * runs, the same execution), counted as started, never started twice.
 */
export class StepFunctionsWorkflow implements Workflow {
  private readonly bucket: TokenBucket;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly sfn: SFNClient, private readonly stateMachineArn: string | undefined, private readonly pacing: StartPacing = configuredPacing()) {
    this.now = pacing.now ?? Date.now;
    this.sleep = pacing.sleep ?? sleepMs;
    this.random = pacing.random ?? Math.random;
    this.bucket = tokenBucket(pacing.bucket, pacing.perSecond, this.now());
  }

  async startEscalation(input: EscalationInput, hooks: { onThrottled?(): void } = {}): Promise<StartOutcome> {
    if (!this.stateMachineArn) throw new Error('No state machine: set STATE_MACHINE_ARN');
    const command = new StartExecutionCommand({
      stateMachineArn: this.stateMachineArn, name: ids.escalation(input.unitCode, input.cycle), input: JSON.stringify(input),
    });
    for (let attempt = 1; ; attempt++) {
      const wait = reserve(this.bucket, this.now());
      if (wait > 0) await this.sleep(wait);
      try {
        await this.sfn.send(command);
        return 'started';
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists || (error as Error)?.name === 'ExecutionAlreadyExists') return 'already-started';
        if (!isThrottling(error) || attempt >= this.pacing.backoff.maxAttempts) throw error;
        hooks.onThrottled?.();
        drain(this.bucket, this.now());
        await this.sleep(backoffDelayMs(attempt, this.pacing.backoff, this.random));
      }
    }
  }

  async resumeTask(token: string, result: TaskResult): Promise<'resumed' | 'gone'> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(result) }));
      return 'resumed';
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof InvalidToken) return 'gone';
      throw error;
    }
  }
}
