import './polyfills.ts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateMachine } from 'aws-local-stepfunctions';
import { tokenBucket, tryTake, type TokenBucket } from '../../functions/core/pacing.ts';

/** A Task state's local stand-in: receives the state's effective input, returns its result. */
export type LocalTaskHandler = (input: unknown) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  /** Plain ASL, as resolved from the synthesized template. */
  definition: Record<string, unknown>;
  /** Task state name → local handler (the same handler code the Lambda runs). */
  taskHandlers: Record<string, LocalTaskHandler>;
  /** Called when an execution ends, with its outcome. */
  onExecutionEnd?(execution: LocalExecution): void;
  /** Retry waits replaced (state → per-retrier interval in ms, negative: as defined); see compressLongRetries. */
  retryIntervalOverrides?: Record<string, number[]>;
  /**
   * StartExecution's quota, enforced as AWS does: a token bucket; a start with no token is refused
   * with ThrottlingException (and starts nothing). Unlimited when absent.
   */
  startQuota?: { bucket: number; perSecond: number } | undefined;
}

export interface LocalExecution {
  name: string;
  arn: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  /** The states entered, in order: the path the execution took. */
  path: string[];
  startDate: Date;
  stopDate?: Date;
  done: Promise<void>;
}

const REGION = 'ap-southeast-1';
const ACCOUNT = '000000000000';

class ServiceError extends Error {
  constructor(public readonly type: string, message: string) { super(message); }
}

/**
 * Step Functions on this machine: an HTTP endpoint speaking the service's JSON protocol
 * (StartExecution, DescribeExecution, SendTaskSuccess, SendTaskFailure), so the handlers' own
 * SFNClient talks to it unchanged, with each execution run by aws-local-stepfunctions.
 *
 * `.waitForTaskToken` has no native token there: each execution gets a token through its Context
 * object, and the callback state's handler returns a promise kept in a token registry until
 * SendTaskSuccess or SendTaskFailure settles it.
 */
export class LocalStepFunctions {
  readonly stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:EscalationWorkflow`;
  private machine: StateMachine;
  private readonly executions = new Map<string, LocalExecution>();
  private readonly waiting = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; execution: string }>();
  private readonly expiredTokens = new Set<string>();
  private server?: Server;
  private startBucket: TokenBucket | undefined;
  /** StartExecution calls refused with ThrottlingException. */
  throttledStarts = 0;
  /** Executions created, by name: a name started twice would show 2 (it never should). */
  readonly startsByName = new Map<string, number>();

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.machine = LocalStepFunctions.machineOf(options.definition);
    this.setStartQuota(options.startQuota);
  }

  /** Enforce this StartExecution quota from now on (a full bucket), or none. */
  setStartQuota(quota: { bucket: number; perSecond: number } | undefined): void {
    this.startBucket = quota ? tokenBucket(quota.bucket, quota.perSecond, Date.now()) : undefined;
  }

  private static machineOf(definition: Record<string, unknown>): StateMachine {
    return new StateMachine(definition as never, { validationOptions: { checkPaths: false, checkArn: false } });
  }

  /** Executions started from now on run this definition (those running keep theirs). */
  useDefinition(definition: Record<string, unknown>): void {
    this.machine = LocalStepFunctions.machineOf(definition);
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(
        (body) => { res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }); res.end(JSON.stringify(body)); },
        (error: unknown) => {
          const type = error instanceof ServiceError ? error.type : 'InternalFailure';
          res.writeHead(error instanceof ServiceError ? 400 : 500, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: `com.amazonaws.states#${type}`, message: (error as Error).message }));
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Resolves when no execution is running (executions started meanwhile are awaited too). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.all(running.map((e) => e.done));
    }
  }

  /**
   * Resolves when every running execution is waiting on a task for a person (or none is running):
   * the state a cycle is left in for the inbox (`npm start -- --serve`).
   */
  async quiescent(pollMs = 50): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      const waiting = new Set([...this.waiting.values()].map((w) => w.execution));
      if (running.every((e) => waiting.has(e.name))) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  list(): LocalExecution[] {
    return [...this.executions.values()];
  }

  /** The local handler for a `.waitForTaskToken` state: runs the Lambda handler, then waits. */
  callbackHandler(handler: LocalTaskHandler): LocalTaskHandler {
    return async (input) => {
      const payload = (input as { Payload?: { token?: string } }).Payload ?? {};
      const token = payload.token;
      if (!token) throw new Error('Callback task payload has no token');
      const execution = token.split('#')[1] ?? '';
      await handler(payload);
      // Waiting from the moment the task is open (no callback can come before: the task holds the token).
      return new Promise((resolve, reject) => this.waiting.set(token, { resolve, reject, execution }));
    };
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const target = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
    switch (target) {
      case 'StartExecution': return this.start(body);
      case 'DescribeExecution': return this.describe(body.executionArn ?? '');
      case 'SendTaskSuccess': return this.settle(body.taskToken ?? '', (w) => w.resolve(JSON.parse(body.output ?? 'null')));
      case 'SendTaskFailure': return this.settle(body.taskToken ?? '', (w) => w.reject(Object.assign(new Error(body.cause ?? ''), { name: body.error ?? 'TaskFailed' })));
      default: throw new ServiceError('UnknownOperationException', `Not supported locally: ${target}`);
    }
  }

  private start(body: Record<string, string>) {
    // As AWS: the quota is checked first; a refused call changes nothing.
    if (this.startBucket && !tryTake(this.startBucket, Date.now())) {
      this.throttledStarts++;
      throw new ServiceError('ThrottlingException', 'Rate exceeded');
    }
    const name = body.name;
    if (!name || !/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new ServiceError('InvalidName', `Invalid execution name: ${name}`);
    const input = body.input ?? '{}';
    const existing = this.executions.get(name);
    if (existing) {
      // As in AWS: the same name and input while running returns the running execution.
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: existing.arn, startDate: existing.startDate.getTime() / 1000 };
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: ${name}`);
    }
    const arn = `arn:aws:states:${REGION}:${ACCOUNT}:execution:EscalationWorkflow:${name}`;
    const startDate = new Date();
    const run = this.machine.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: this.options.taskHandlers as never, retryIntervalOverrides: this.options.retryIntervalOverrides ?? {} },
      context: {
        Execution: { Id: arn, Name: name, Input: JSON.parse(input), StartTime: startDate.toISOString() },
        Task: { Token: `token#${name}` },
      },
    });
    const execution: LocalExecution = { name, arn, input, status: 'RUNNING', path: [], startDate, done: Promise.resolve() };
    const logged = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') execution.path.push(event.state.name);
      }
    })();
    execution.done = Promise.allSettled([run.result, logged]).then(() => run.result).then(
      (output: unknown) => { execution.status = 'SUCCEEDED'; execution.output = output; },
      (error: Error) => { execution.status = 'FAILED'; execution.error = error.name; },
    ).finally(() => {
      execution.stopDate = new Date();
      this.expireTokensOf(name);
      this.options.onExecutionEnd?.(execution);
    });
    this.executions.set(name, execution);
    this.startsByName.set(name, (this.startsByName.get(name) ?? 0) + 1);
    return { executionArn: arn, startDate: startDate.getTime() / 1000 };
  }

  private describe(arn: string) {
    const execution = [...this.executions.values()].find((e) => e.arn === arn);
    if (!execution) throw new ServiceError('ExecutionDoesNotExist', `No execution ${arn}`);
    return {
      executionArn: execution.arn, name: execution.name, status: execution.status, input: execution.input,
      output: execution.output === undefined ? undefined : JSON.stringify(execution.output),
      error: execution.error, startDate: execution.startDate.getTime() / 1000, stopDate: execution.stopDate && execution.stopDate.getTime() / 1000,
    };
  }

  private settle(token: string, fn: (w: { resolve(v: unknown): void; reject(e: Error): void }) => void) {
    const waiter = this.waiting.get(token);
    if (!waiter) {
      if (this.expiredTokens.has(token)) throw new ServiceError('TaskTimedOut', 'Task timed out or its execution ended');
      throw new ServiceError('InvalidToken', 'Unknown task token');
    }
    this.waiting.delete(token);
    fn(waiter);
    return {};
  }

  private expireTokensOf(executionName: string) {
    for (const [token, waiter] of this.waiting) {
      if (waiter.execution === executionName) {
        this.waiting.delete(token);
        this.expiredTokens.add(token);
      }
    }
  }
}

/** Local only: a callback state that outlives its wait is cut to this many seconds (time compressed). */
/** A retry wait longer than this is not slept locally: the clock jumps over it (compressLongRetries). */
const LONGEST_REAL_RETRY_SECONDS = 60;

interface Retrier { ErrorEquals: string[]; IntervalSeconds?: number }

/**
 * Time compression of long retries. A retry that waits out the claims' takeover age (a notice
 * another attempt left in progress: 15 minutes) would hold a local run for real minutes; it is
 * retried at once instead, and the handler that failed moves the clock on by the wait first, so
 * the retry finds the claim as old as it would be in AWS. Short waits (a provider's passing
 * fault: 30 s, 1 min) are waited for real, as the fault harness's outages are.
 */
export function compressLongRetries(definition: Record<string, unknown>, advanceClock: (seconds: number) => void) {
  const states = (definition as { States: Record<string, { Retry?: Retrier[] }> }).States;
  const retryIntervalOverrides: Record<string, number[]> = {};
  for (const [name, state] of Object.entries(states)) {
    if (!state.Retry?.some((r) => (r.IntervalSeconds ?? 1) > LONGEST_REAL_RETRY_SECONDS)) continue;
    retryIntervalOverrides[name] = state.Retry.map((r) => ((r.IntervalSeconds ?? 1) > LONGEST_REAL_RETRY_SECONDS ? 0 : -1));
  }
  /** The handler of a state, moving the clock on by the wait of the long retrier its error meets first. */
  const wrap = (name: string, handler: LocalTaskHandler): LocalTaskHandler => {
    const retriers = states[name]?.Retry;
    if (!retryIntervalOverrides[name] || !retriers) return handler;
    return async (input) => {
      try {
        return await handler(input);
      } catch (error) {
        const errorName = (error as Error).name;
        const retrier = retriers.find((r) => r.ErrorEquals.some((e) => e === errorName || e === 'States.ALL' || e === 'States.TaskFailed'));
        if (retrier && (retrier.IntervalSeconds ?? 1) > LONGEST_REAL_RETRY_SECONDS) advanceClock(retrier.IntervalSeconds!);
        throw error;
      }
    };
  };
  return { retryIntervalOverrides, wrap };
}

export function compressTaskTimeouts(definition: Record<string, unknown>, seconds: number): Record<string, unknown> {
  const copy = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
  for (const state of Object.values(copy.States)) {
    if ('TimeoutSecondsPath' in state) {
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = seconds;
    }
  }
  // The whole-execution timeout is days long: leave it to AWS, the local cycle ends by itself.
  delete (copy as Record<string, unknown>).TimeoutSeconds;
  return copy;
}
