import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { dynamoForTests } from '../support/dynamo.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/embedded/dynalite.ts';
import { LocalStepFunctions } from '../../local/embedded/step-functions.ts';
import { runMonthlyMachine } from '../../local/embedded/monthly-run.ts';
import { clock } from '../../functions/commons/clock.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { monthlyRunDefinition, synthesizeTemplate } from '../../infra/definition.ts';
import { MONTHLY_RUN_STATE, STATE } from '../../workflows/state-names.ts';
import { noticeCatchUpWaits } from '../../workflows/monthly-run.ts';
import { context } from '../handlers/fixtures.ts';

/**
 * The monthly run's catch-up, as `cdk synth` produces it, run by aws-local-stepfunctions: after its
 * segments and summary, the redrive of its urging notices, with backoff, until the day after the
 * notices' deadline. The escalations it starts send their notice through the send-notice handler
 * (a stand-in escalation of that one step, no retries of its own, so what fails is left to the
 * catch-up); SES answers 5xx to the first sends. After the catch-up every delinquent unit has had
 * its notice exactly once; a failure that outlasts the deadline fails the execution (the
 * MonthlyRunFailed alarm watches it).
 */
const policy = policyFor('2026-11-02');
const UNITS = Array.from({ length: 60 }, (_, i) => `TD${String(i + 1).padStart(6, '0')}`);
/** One unit in three has paid both months (and the interest on the first); the others owe both. */
const DELINQUENT = UNITS.filter((_, i) => i % 3 !== 0);
const emailOf = (unitCode: string) => `${unitCode.toLowerCase()}@example.vn`;
const ses = mockClient(SESClient);
const unavailable = () => Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } });

let env: Awaited<ReturnType<typeof dynamoForTests>>;
let sfn: LocalStepFunctions;
let lambdas: { monthlyRun: (event: unknown) => Promise<unknown>; redriveRun: (event: unknown) => Promise<unknown> };

beforeAll(async () => {
  env = await dynamoForTests();
  const send = await import('../../functions/handlers/send-notice.ts');
  // The escalation, cut to its notice: one send, failed as the provider failed it.
  sfn = new LocalStepFunctions({
    definition: { StartAt: STATE.sendUrgingNotice, States: { [STATE.sendUrgingNotice]: { Type: 'Task', Resource: 'arn:aws:lambda:ap-southeast-1:000000000000:function:sendNotice', End: true } } },
    taskHandlers: { [STATE.sendUrgingNotice]: (input) => send.handler(input, context) },
    startQuota: undefined,
  });
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamo.endpoint, AWS_ENDPOINT_URL_SFN: await sfn.listen(),
    TABLE_NAME: env.tableName, STATE_MACHINE_ARN: sfn.stateMachineArn,
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
  });
  const monthly = await import('../../functions/handlers/monthly-run.ts');
  const redrive = await import('../../functions/handlers/redrive-run.ts');
  lambdas = { monthlyRun: (event) => monthly.handler(event, context), redriveRun: (event) => redrive.handler(event, context) };

  await env.store.putEmployers(UNITS.map((unitCode) => ({ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: emailOf(unitCode), phone: '0912345678', locale: 'vi' as const })));
  await env.store.putPeriods(UNITS.flatMap((unitCode) => ['2026-08', '2026-09'].map((period) => ({ unitCode, period, amountDue: 5_000_000, dueDate: deadlineOf(period, policy) }))));
  await env.store.putPayments(UNITS.filter((u) => !DELINQUENT.includes(u)).map((unitCode) => ({ unitCode, reference: `R-${unitCode}`, paidOn: '2026-10-20', amount: 10_500_000 })));
}, 120_000);
afterAll(async () => {
  await sfn?.close();
  await env?.close();
});

/** The recipients of the sends SES accepted (the stand-in's calls that did not fail). */
const delivered = (accepted: Set<number>) => ses.commandCalls(SendEmailCommand).filter((_, i) => accepted.has(i)).map((c) => c.args[0].input.Destination?.ToAddresses?.[0]);

describe('the monthly run catches up its urging notices', () => {
  it('the synthesized machine redrives urging notices only, with backoff past the notices\' deadline, then fails so its alarm sees it', () => {
    const template = synthesizeTemplate();
    const states = monthlyRunDefinition(template).States as Record<string, { Type: string; Parameters?: unknown; Result?: { seconds: number; next: number[] }; Error?: string; Default?: string }>;
    expect(states[MONTHLY_RUN_STATE.redrive]!.Parameters).toEqual({ kinds: ['urging'] });
    const waits = noticeCatchUpWaits(policy);
    expect([states[MONTHLY_RUN_STATE.startCatchUp]!.Result!.seconds, ...states[MONTHLY_RUN_STATE.startCatchUp]!.Result!.next.slice(0, waits.length - 1)]).toEqual(waits);
    // The first after the takeover age (and a minute), each further apart, none more than a day.
    expect(waits[0]).toBe((policy.notice.claimStaleAfterMinutes + 1) * 60);
    expect(waits.every((w, i) => i === 0 || (w >= waits[i - 1]! && w <= 86_400))).toBe(true);
    // Together from the monthly run's day past the deadline day (the policy's, not a fixed 10th).
    const days = policy.delivery.urging.deadlineDayOfMonth! + 1 - policy.monthlyRun.dayOfMonth;
    expect(waits.reduce((n, w) => n + w, 0)).toBeGreaterThanOrEqual(days * 86_400);
    expect(states[MONTHLY_RUN_STATE.pastDeadline]).toMatchObject({ Type: 'Fail', Error: 'NoticesPastDeadline' });
    // An incomplete run fails at once, without waiting out a catch-up.
    expect(states[MONTHLY_RUN_STATE.complete]!.Default).toBe(MONTHLY_RUN_STATE.incomplete);
    // The alarm on the monthly run's failed executions.
    const machineId = Object.keys(template.Resources).find((id) => id.startsWith('MonthlyRun') && template.Resources[id]!.Type === 'AWS::StepFunctions::StateMachine')!;
    const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.MetricName === 'ExecutionsFailed');
    expect(alarms.some((a) => JSON.stringify(a.Properties?.Dimensions).includes(`"Ref":"${machineId}"`))).toBe(true);
  });

  it('after SES failed the first sends during the run, the catch-up delivers every urging notice, each exactly once', async () => {
    clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
    const started = clock.now().getTime();
    ses.reset();
    const accepted = new Set<number>();
    let calls = 0;
    ses.on(SendEmailCommand).callsFake(() => {
      const i = calls++;
      if (i < 15) throw unavailable();
      accepted.add(i);
      return { MessageId: `msg-${i}` };
    });
    const run = await runMonthlyMachine(lambdas, { asOf: '2026-11-02' }, { retryIntervalSeconds: 0, beforeRedrive: () => sfn.idle() });
    expect(run.failed).toBeUndefined();
    expect(run.summary).toMatchObject({ complete: true, delinquent: DELINQUENT.length, executionsStarted: DELINQUENT.length });
    // The escalations' sends that failed were left to the catch-up: its first redrive sent them all, nothing was left.
    expect(sfn.list().filter((e) => e.status === 'FAILED')).toHaveLength(15);
    expect(run.redrives).toHaveLength(1);
    expect(run.redrives[0]).toMatchObject({ stillDue: 0, pastDeadline: 0, messages: { urging: { sent: 15, failed: 0 } } });
    // Every delinquent unit's notice went out once; the units that paid got none.
    const recipients = delivered(accepted);
    expect(recipients).toHaveLength(DELINQUENT.length);
    expect([...recipients].sort()).toEqual(DELINQUENT.map(emailOf).sort());
    // Caught up the same morning: one wait, the takeover age and a minute (the clock runs on meanwhile: the run's own seconds).
    const waited = clock.now().getTime() - started;
    expect(waited).toBeGreaterThanOrEqual((policy.notice.claimStaleAfterMinutes + 1) * 60_000);
    expect(waited).toBeLessThan((policy.notice.claimStaleAfterMinutes + 2) * 60_000);
  }, 120_000);

  it('when SES fails past the deadline, the catch-up retries with backoff until the day after it, then the execution fails (NoticesPastDeadline)', async () => {
    clock.setNow(new Date('2026-12-02T06:00:00+07:00'));
    ses.reset();
    ses.on(SendEmailCommand).callsFake(() => { throw unavailable(); });
    const run = await runMonthlyMachine(lambdas, { asOf: '2026-12-02' }, { retryIntervalSeconds: 0, beforeRedrive: () => sfn.idle() });
    expect(run.summary).toMatchObject({ complete: true, cycle: '2026-12', executionsStarted: DELINQUENT.length });
    expect(run.failed).toBe('NoticesPastDeadline');
    const waits = noticeCatchUpWaits(policy);
    expect(run.redrives).toHaveLength(waits.length);
    // Every redrive tried every notice again; none was past the deadline until the last, after the 10th.
    expect(run.redrives.every((r) => r.stillDue === DELINQUENT.length && r.messages.urging.failed === DELINQUENT.length)).toBe(true);
    expect(run.redrives.slice(0, -1).every((r) => r.pastDeadline === 0 && r.date <= '2026-12-10')).toBe(true);
    expect(run.redrives.at(-1)!).toMatchObject({ pastDeadline: DELINQUENT.length });
    expect(run.redrives.at(-1)!.date > '2026-12-10').toBe(true);
    // Each attempt sent each notice once (the escalation's, then one per redrive): nothing in between.
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(DELINQUENT.length * (1 + waits.length));
  }, 180_000);
});
