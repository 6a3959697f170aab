import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoForTests } from '../support/dynamo.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/embedded/dynalite.ts';
import { LocalStepFunctions } from '../../local/embedded/step-functions.ts';
import { runMonthlyMachine } from '../../local/embedded/monthly-run.ts';
import { clock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { keys } from '../../functions/commons/table.ts';
import { monthlyRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { DEFAULT_DEPLOYMENT } from '../../infra/deployment-config.ts';
import { MONTHLY_RUN_STATE } from '../../workflows/state-names.ts';
import { context } from '../handlers/fixtures.ts';
import type { MonthlyRunSummary } from '../../functions/steps/monthly-run.ts';

/**
 * The monthly run's fan-out as `cdk synth` produces it (plan, a Map over the scan segments, summary),
 * each Task state calling the monthly-run function's handler, against dynalite and the local Step
 * Functions endpoint enforcing a StartExecution quota far below what the run asks for. Every
 * delinquent unit gets exactly one escalation; a segment that cannot finish is named in the summary,
 * and the run started again finishes it without starting anything twice.
 */
const AS_OF = '2026-11-02';
const CYCLE = '2026-11';
const policy = policyFor(AS_OF);
const UNITS = Array.from({ length: 120 }, (_, i) => `TD${String(i + 1).padStart(6, '0')}`);
/** One unit in three has paid both months (and the interest on the first); the others owe both. */
const DELINQUENT = UNITS.filter((_, i) => i % 3 !== 0);
/** The service's quota: a burst of 4, then 40 a second (AWS: 800 and 150). */
const QUOTA = { bucket: 4, perSecond: 40 };

let env: Awaited<ReturnType<typeof dynamoForTests>>;
let sfn: LocalStepFunctions;
let handler: (event: unknown) => Promise<unknown>;
let redriveRun: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  env = await dynamoForTests();
  // The escalations themselves are not the point here: each one succeeds at once.
  sfn = new LocalStepFunctions({ definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, taskHandlers: {}, startQuota: QUOTA });
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamo.endpoint, AWS_ENDPOINT_URL_SFN: await sfn.listen(),
    TABLE_NAME: env.tableName, STATE_MACHINE_ARN: sfn.stateMachineArn,
    // The SDK's own retries off: every throttled start comes back to the function's backoff.
    AWS_MAX_ATTEMPTS: '1',
    // The function asks faster than the service allows (as if someone else took the account's tokens).
    START_EXECUTION_BUCKET: '20', START_EXECUTION_PER_SECOND: '100',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  clock.setNow(new Date(`${AS_OF}T06:00:00+07:00`));
  const mod = await import('../../functions/handlers/monthly-run.ts');
  handler = (event) => mod.handler(event, context);
  const redrive = await import('../../functions/handlers/redrive-run.ts');
  redriveRun = (event) => redrive.handler(event, context);

  await env.store.putEmployers(UNITS.map((unitCode) => ({ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' as const })));
  const periods = ['2026-08', '2026-09'].map((p) => addMonths(p, 0));
  await env.store.putPeriods(UNITS.flatMap((unitCode) => periods.map((period) => ({ unitCode, period, amountDue: 5_000_000, dueDate: deadlineOf(period, policy) }))));
  await env.store.putPayments(UNITS.filter((u) => !DELINQUENT.includes(u)).map((unitCode) => ({ unitCode, reference: `R-${unitCode}`, paidOn: '2026-10-20', amount: 10_500_000 })));
}, 60_000);
afterAll(async () => {
  await sfn?.close();
  await env?.close();
});

const expectedNames = () => DELINQUENT.map((u) => `${u}-${CYCLE}`).sort();

describe('monthly run fan-out under StartExecution throttling', () => {
  let first: MonthlyRunSummary;

  it('a segment that cannot finish is named in the summary, and the run fails visibly after recording it', async () => {
    const segments = DEFAULT_DEPLOYMENT.monthlyRun.segments;
    const seen = new Set<number>();
    ({ summary: first } = await runMonthlyMachine({ monthlyRun: handler, redriveRun }, { asOf: AS_OF }, {
      retryIntervalSeconds: 0,
      // Segment 5's invocation fails every time (a bug, a Lambda that keeps timing out).
      classifySegment: async (input) => {
        const { segments: [segment] } = input as { segments: number[] };
        seen.add(segment!);
        if (segment === 5) throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });
        return handler(input);
      },
    }));
    expect(seen.size).toBe(segments);
    expect(first.complete).toBe(false);
    expect(first.unfinishedSegments).toEqual([{ segment: 5, error: 'Sandbox.Timedout' }]);
    expect(first.totalSegments).toBe(segments);
    expect(first.segments).toHaveLength(segments - 1);
    // The record says so too.
    const stored = await env.dynamo.doc.send(new (await import('@aws-sdk/lib-dynamodb')).GetCommand({ TableName: env.tableName, Key: keys.runSummary(CYCLE) }));
    expect(stored.Item).toMatchObject({ complete: false, unfinishedSegments: [{ segment: 5, error: 'Sandbox.Timedout' }] });
    // Every unit of the other segments was classified, and each of their delinquent units got one execution.
    expect(first.unitsScanned).toBeLessThan(UNITS.length);
    expect(first.executionsStarted + first.executionsAlreadyStarted).toBe(first.delinquent);
    expect(sfn.throttledStarts).toBeGreaterThan(0);
    expect(first.startsThrottled).toBeGreaterThan(0);
  }, 60_000);

  it('run again, it finishes: every delinquent unit has exactly one execution, the ones already started counted, not started twice', async () => {
    const throttledBefore = sfn.throttledStarts;
    const { summary: again, redrives } = await runMonthlyMachine({ monthlyRun: handler, redriveRun }, { asOf: AS_OF }, { retryIntervalSeconds: 0, beforeRedrive: () => sfn.idle() });
    // Complete, it caught up: one redrive of its urging notices, nothing left (the escalations here send none).
    expect(redrives.map((r) => r.stillDue)).toEqual([0]);
    expect(again.complete).toBe(true);
    expect(again.unfinishedSegments).toEqual([]);
    expect(again.unitsScanned).toBe(UNITS.length);
    expect(again.delinquent).toBe(DELINQUENT.length);
    // The first run's starts are found by name (ExecutionAlreadyExists); only segment 5's are new.
    expect(again.executionsAlreadyStarted).toBe(first.executionsStarted + first.executionsAlreadyStarted);
    expect(again.executionsStarted).toBe(DELINQUENT.length - again.executionsAlreadyStarted);
    expect([...sfn.startsByName.keys()].sort()).toEqual(expectedNames());
    expect([...sfn.startsByName.values()].every((n) => n === 1)).toBe(true);
    // It was throttled again (found-by-name starts take tokens too) and lost nothing.
    expect(sfn.throttledStarts).toBeGreaterThan(throttledBefore);
    await sfn.idle();
    expect(sfn.list().filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
  }, 60_000);

  it('a second execution while one runs is refused at its plan step, before it reads anything', async () => {
    const plan = { phase: 'plan', input: { asOf: '2026-12-02' } };
    await expect(handler({ ...plan, runId: 'execution-a' })).resolves.toMatchObject({ asOf: '2026-12-02', cycle: '2026-12', totalSegments: DEFAULT_DEPLOYMENT.monthlyRun.segments });
    await expect(handler({ ...plan, runId: 'execution-b' })).rejects.toMatchObject({ name: 'RunInProgress' });
    // Nor may a whole run be invoked directly meanwhile.
    await expect(handler({ asOf: '2026-12-02', runId: 'someone' })).rejects.toMatchObject({ name: 'RunInProgress' });
  });

  it('a summary whose parts do not validate is refused, never taken for a whole run', async () => {
    await expect(handler({ phase: 'summary', asOf: AS_OF, totalSegments: 4, runId: 'x', parts: [{ unitsScanned: 'many' }] })).rejects.toMatchObject({ name: 'InvalidInput' });
  });

  it('the synthesized machine retries a failed segment, then catches it; the plan and a duplicate run are never retried', () => {
    const definition = monthlyRunDefinition(synthesizeTemplate()) as { States: Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[]; ItemProcessor?: { States: Record<string, { Retry?: { ErrorEquals: string[]; MaxAttempts: number }[]; Catch?: unknown[] }> }; MaxConcurrency?: number }> };
    const map = definition.States[MONTHLY_RUN_STATE.eachSegment]!;
    expect(map.MaxConcurrency).toBe(DEFAULT_DEPLOYMENT.monthlyRun.concurrency);
    const segment = map.ItemProcessor!.States[MONTHLY_RUN_STATE.classifySegment]!;
    // After CDK's retry of Lambda's own service errors: a duplicate run never, anything else twice.
    expect(segment.Retry!.slice(-2).map((r) => [r.ErrorEquals, r.MaxAttempts])).toEqual([[['RunInProgress'], 0], [['States.ALL'], 2]]);
    expect(segment.Catch).toHaveLength(1);
    expect(definition.States[MONTHLY_RUN_STATE.planRun]!.Retry!.find((r) => r.ErrorEquals.includes('RunInProgress'))).toMatchObject({ MaxAttempts: 0 });
  });
});
