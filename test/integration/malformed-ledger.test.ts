import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { keys } from '../../functions/commons/table.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { runMonthlyCycle } from '../../functions/steps/monthly-run.ts';

/** A unit with one unreadable stored item is still followed up, the item reported by key (dynalite). */
const policy = policyFor('2026-11-02');
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
const started: string[] = [];

beforeAll(async () => {
  env = await dynamoForTests();
  const base = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => new Date('2026-11-02T09:00:00+07:00')) });
  deps = { ...base, workflow: { startEscalation: async (i) => { started.push(i.unitCode); return 'started'; }, resumeTask: async () => 'gone' } };
  const unitCode = 'BADP0002';
  await env.store.putEmployers([{ unitCode, name: 'Công ty BADP0002', taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: 'badp0002@example.vn', phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
  await env.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) })));
  // Paid through 2026-05: four months behind. The latest period was written around the validation.
  await env.store.putPayments(periods.slice(0, 7).map((period) => ({ unitCode, reference: `UNC-${period}`, paidOn: deadlineOf(period, policy), amount: 10_000_000 })));
  await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.period(unitCode, '2026-10'), unitCode, period: '2026-10', amountDue: 12.5, dueDate: '2026-11-30' } }));
});
afterAll(() => env.close());

describe('a ledger with an unreadable item', () => {
  it('is still escalated by the monthly run, from the items that validate, with the bad item in the summary', async () => {
    const s = await runMonthlyCycle(deps, { asOf: '2026-11-02' });
    expect(started).toEqual(['BADP0002']);
    expect(s).toMatchObject({ unitsScanned: 1, delinquent: 1, malformed: 1, executionsStarted: 1 });
    expect(s.malformedSamples).toEqual([{ key: 'EMP#BADP0002 PERIOD#2026-10', reason: expect.stringContaining('amountDue') }]);
  });
});
