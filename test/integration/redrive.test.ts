import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { runStatements } from '../../functions/steps/statement-run.ts';
import { runRedrive } from '../../functions/steps/redrive-run.ts';

/**
 * SES down while the statements go out: each failed one waits for the redrive, which sends it the
 * next day, once, before the deadline; what is still due after the deadline is counted for the alarm.
 * On dynalite, SES mocked.
 */
const policy = policyFor('2026-11-02');
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let now = new Date('2026-11-02T09:00:00+07:00');
const UNITS = ['RDRV0001', 'RDRV0002', 'RDRV0003'];

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now) });
  for (const unitCode of UNITS) {
    await env.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' }]);
    const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-05', i));
    await env.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) })));
  }
});
afterAll(() => env.close());

const at = (iso: string) => { now = new Date(iso); };
const rawSent = () => ses.commandCalls(SendRawEmailCommand).map((c) => c.args[0].input.Destinations?.[0]);

describe('the redrive', () => {
  it('sends the next day, once each, the statements SES failed; a rerun sends none; nothing is past the deadline', async () => {
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    at('2026-11-02T09:00:00+07:00');
    const run = await runStatements(deps, {});
    expect(run.statements).toMatchObject({ sent: 0, failed: 3 });

    // Too soon: a failed claim is retried only once older than the stale age (the backoff).
    ses.reset();
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-r' });
    at('2026-11-02T09:05:00+07:00');
    expect((await runRedrive(deps, {})).messages.statement).toMatchObject({ sent: 0 });

    at('2026-11-03T11:00:00+07:00');
    const redrive = await runRedrive(deps, {});
    expect(redrive.messages.statement).toMatchObject({ sent: 3 });
    expect(redrive).toMatchObject({ stillDue: 0, pastDeadline: 0 });
    expect(rawSent().sort()).toEqual(['rdrv0001@example.vn', 'rdrv0002@example.vn', 'rdrv0003@example.vn']);
    // Settled: out of the redrive's index, and the statement run finds them sent.
    at('2026-11-04T11:00:00+07:00');
    expect((await runRedrive(deps, {})).messages.statement).toMatchObject({ sent: 0, alreadySent: 0 });
    expect((await runStatements(deps, { asOf: '2026-11-02' })).statements).toMatchObject({ sent: 0, alreadySent: 3 });
    expect(rawSent()).toHaveLength(3);
  });

  it('counts what SES still fails after the deadline for the alarm, and sends it once SES is back', async () => {
    ses.reset();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    // An urging notice whose worker died after claiming it, on the 2nd; SES is down through the 11th.
    await env.store.claim({ message: 'urging', unitCode: 'RDRV0001', cycle: '2026-11' }, new Date('2026-11-02T06:00:00+07:00'), 15);
    at('2026-11-11T11:00:00+07:00');
    const late = await runRedrive(deps, {});
    expect(late.messages.urging).toMatchObject({ failed: 1 });
    expect(late).toMatchObject({ stillDue: 1, pastDeadline: 1 });
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-u' });
    at('2026-11-12T11:00:00+07:00');
    expect((await runRedrive(deps, {})).messages.urging).toMatchObject({ sent: 1 });
    expect(await env.store.getNotice('RDRV0001', '2026-11')).toMatchObject({ status: 'sent', messageId: 'msg-u' });
  });
});
