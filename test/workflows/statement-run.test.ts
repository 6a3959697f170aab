import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { runStatements, type StatementRunInput } from '../../functions/steps/statement-run.ts';
import { runRedrive } from '../../functions/steps/redrive-run.ts';
import { statementRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { STATEMENT_RUN_STATE } from '../../workflows/state-names.ts';
import { localExecutionId, runStatementMachine } from '../../local/embedded/statement-run.ts';
import { DEFAULT_DEPLOYMENT } from '../../infra/deployment-config.ts';

/**
 * The statement run's fan-out as `cdk synth` produces it, run by aws-local-stepfunctions: its one
 * Task state calls the statement step (dynalite, SES mocked) once per scan segment. Every unit gets
 * one statement; a segment that fails part-way is retried and sends only what is still unsent.
 */
const policy = policyFor('2026-11-02');
const { segments, concurrency } = DEFAULT_DEPLOYMENT.statementRun;
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
/** The run's clock: the catch-up's wait moves it on (as the local runner does). */
let now = new Date('2026-11-02T09:00:00+07:00');
const advance = (ms: number) => { now = new Date(now.getTime() + ms); };
const lambdas = {
  statementRun: (input: unknown) => runStatements(deps, input as StatementRunInput),
  redriveRun: (input: unknown) => runRedrive(deps, input as { asOf?: string }),
};
const UNITS = Array.from({ length: 40 }, (_, i) => `TD${String(i + 1).padStart(6, '0')}`);

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now) });
  await env.store.putEmployers(UNITS.map((unitCode) => ({ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' as const })));
  const periods = Array.from({ length: 3 }, (_, i) => addMonths('2026-08', i));
  await env.store.putPeriods(UNITS.flatMap((unitCode) => periods.map((period) => ({ unitCode, period, amountDue: 5_000_000, dueDate: deadlineOf(period, policy) }))));
}, 60_000);
afterAll(() => env?.close());

describe('statement run state machine (synthesized)', () => {
  it('invokes the statement run once per segment, a few at once; every unit gets one statement, a failed segment resumes', async () => {
    ses.reset();
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-1' });
    const calls: StatementRunInput[] = [];
    let running = 0;
    let mostAtOnce = 0;
    let crashed = false;
    let redrives = 0;
    const machine = new StateMachine(statementRunDefinition(synthesizeTemplate()) as never, { validationOptions: { checkPaths: false } });
    const execution = machine.run({}, {
      context: { Execution: { Id: localExecutionId() } },
      overrides: {
        taskResourceLocalHandlers: {
          [STATEMENT_RUN_STATE.sendSegment]: async (input: unknown) => {
            calls.push(input as StatementRunInput);
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            try {
              // As the handler does: the segment's lease is the execution's (so the retry below takes it again).
              const summary = await runStatements(deps, input as StatementRunInput, { runId: (input as { runId?: string }).runId });
              // The first segment that sent something then fails, as an invocation cut off by Lambda's timeout would.
              if (!crashed && summary.statements.sent > 0) {
                crashed = true;
                throw new Error('Task timed out after 900.00 seconds');
              }
              return { sent: summary.statements.sent };
            } finally {
              running--;
            }
          },
          [STATEMENT_RUN_STATE.redrive]: async (input: unknown) => { redrives++; return { stillDue: (await runRedrive(deps, input as { asOf?: string })).stillDue }; },
        },
        waitTimeOverrides: { [STATEMENT_RUN_STATE.waitBeforeRedrive]: 0 },
        retryIntervalOverrides: { [STATEMENT_RUN_STATE.sendSegment]: 0 },
      },
    });
    await execution.result;
    const bySegment = new Map<number, number>();
    for (const c of calls) {
      expect(c.totalSegments).toBe(segments);
      expect(c.segments).toHaveLength(1);
      expect((c as { runId?: string }).runId).toMatch(/:execution:StatementRun:/);
      bySegment.set(c.segments![0]!, (bySegment.get(c.segments![0]!) ?? 0) + 1);
    }
    expect([...bySegment.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: segments }, (_, i) => i));
    // One segment ran twice (its retry), every other once.
    expect([...bySegment.values()].sort()).toEqual([...Array(segments - 1).fill(1), 2]);
    expect(mostAtOnce).toBeLessThanOrEqual(concurrency);
    const recipients = ses.commandCalls(SendRawEmailCommand).map((c) => c.args[0].input.Destinations?.[0]);
    expect(recipients).toHaveLength(UNITS.length);
    expect(new Set(recipients).size).toBe(UNITS.length);
    // Nothing was left unsent: the catch-up ran its redrive once and stopped.
    expect(redrives).toBe(1);
  });

  it('run again (as npm start runs it), sends nothing twice, and its parts add up to every unit', async () => {
    ses.reset();
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-2' });
    const { statements: summary, redrives } = await runStatementMachine(lambdas, advance);
    expect(redrives.map((r) => r.stillDue)).toEqual([0]);
    expect(summary).toMatchObject({ cycle: '2026-11', unitsScanned: UNITS.length, statements: { sent: 0, alreadySent: UNITS.length, inProgress: 0, failed: 0, badRecord: 0 } });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('after an SES outage during the segments, the catch-up sends every statement left unsent the same day, once', async () => {
    ses.reset();
    // The next cycle's run; SES answers 503 to its first 25 calls, then recovers.
    now = new Date('2026-12-02T09:00:00+07:00');
    const started = now.getTime();
    let calls = 0;
    ses.on(SendRawEmailCommand).callsFake(() => {
      calls++;
      if (calls <= 25) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
      return { MessageId: `msg-${calls}` };
    });
    const { statements, redrives } = await runStatementMachine(lambdas, advance);
    expect(statements.statements.failed).toBeGreaterThan(0);
    // The first redrive (after the takeover age) found them stale and sent them; the second found nothing.
    expect(redrives.length).toBeGreaterThanOrEqual(1);
    expect(redrives.at(-1)!.stillDue).toBe(0);
    expect(redrives.reduce((n, r) => n + r.messages.statement.sent, 0)).toBe(statements.statements.failed);
    const delivered = ses.commandCalls(SendRawEmailCommand).slice(25).map((c) => c.args[0].input.Destinations?.[0]);
    expect(delivered).toHaveLength(UNITS.length);
    expect(new Set(delivered).size).toBe(UNITS.length);
    // Caught up within the day: the waits took the clock on by the takeover age each, no more.
    expect(now.getTime() - started).toBeLessThan(24 * 3600_000);
  });
});
