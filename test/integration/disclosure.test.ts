import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { parseDisclosureCsv, renderDisclosureCsv } from '../../functions/core/disclosure.ts';
import { runDisclosure } from '../../functions/steps/disclosure-run.ts';

/** The disclosure run on the real DynamoDB wire protocol (dynalite), SES mocked, a folder for S3. */
const policy = policyFor('2026-11-10');
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let now = new Date();
const folder = mkdtempSync(join(tmpdir(), 'disclosure-'));
const at = (date: string) => { now = new Date(`${date}T08:00:00+07:00`); };
const recipients = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Destination?.ToAddresses?.[0]);

/** Twelve periods from 2025-11, the last `behind` unpaid, each `amount`. */
async function seed(unitCode: string, behind: number, amount: number) {
  await env.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i)).filter((p) => p <= '2026-10');
  await env.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: amount, dueDate: deadlineOf(period, policy) })));
  await env.store.putPayments(periods.slice(0, periods.length - behind).map((period) => ({ unitCode, reference: `UNC-${period}`, paidOn: deadlineOf(period, policy), amount })));
}

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({
    store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }),
    clock: fixedClock(() => now), documents: new FolderDocumentStore(folder),
  });
  // Periods 2025-11..2026-10; unpaid from 2026-06 (deadline 2026-07-31): 4 months overdue on 2026-11-10.
  await seed('BIG00001', 5, 20_000_000); // 100 M: above both thresholds
  await seed('PAYER001', 5, 20_000_000); // above, then pays inside the window
  await seed('HOLD0001', 5, 20_000_000); // above, on hold (force majeure)
  await seed('SMALL001', 5, 5_000_000); // 25 M: below the debt threshold
  await seed('RACE0001', 5, 20_000_000);
  await env.store.putHold({ unitCode: 'HOLD0001', reason: 'force-majeure', note: 'bão số 3', until: '2026-12-31', setBy: 'tt.hoang', setAt: '2026-11-01T00:00:00Z' });
});
afterAll(() => env.close());
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
});

describe('disclosure run on dynalite', () => {
  it('first sends the pre-disclosure notice to units above the thresholds, not on hold, and publishes no one yet', async () => {
    await env.store.putHold({ unitCode: 'RACE0001', reason: 'other', note: 'kept out of this run', until: '2026-11-10', setBy: 'x', setAt: '2026-11-01T00:00:00Z' });
    at('2026-11-10');
    const s = await runDisclosure(deps, {});
    expect(recipients().sort()).toEqual(['big00001@example.vn', 'payer001@example.vn']);
    expect(s).toMatchObject({ date: '2026-11-10', aboveThresholds: 4, onHold: 2, notices: { sent: 2 }, published: 0, alreadyPublished: false });
    expect(await env.store.getPreDisclosure('BIG00001')).toMatchObject({ status: 'sent', sentOn: '2026-11-10', payBy: '2026-11-25', monthsOverdue: 4 });
    const body = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Message?.Body?.Text?.Data ?? '';
    expect(body).toContain('chậm nhất ngày 25/11/2026');
    expect(await env.store.caseHistory('BIG00001')).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'pre-disclosure-notice-sent', detail: expect.objectContaining({ sentOn: '2026-11-10', payBy: '2026-11-25' }) }),
    ]));
  });

  it('sends nothing twice when run again', async () => {
    at('2026-11-10');
    const s = await runDisclosure(deps, {});
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(s).toMatchObject({ notices: { sent: 0 }, waiting: 2, alreadyPublished: true });
  });

  it('lets exactly one of many concurrent claims through', async () => {
    await env.store.clearHold('RACE0001');
    const claims = await Promise.all(Array.from({ length: 10 }, () => env.store.claim({ message: 'pre-disclosure', unitCode: 'RACE0001' }, new Date('2026-11-10T01:00:00Z'), 15)));
    expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c === 'in-progress')).toHaveLength(9);
    await env.store.complete({ message: 'pre-disclosure', unitCode: 'RACE0001' }, { status: 'sent', sentOn: '2026-11-10', payBy: '2026-11-25' });
    expect(await env.store.claim({ message: 'pre-disclosure', unitCode: 'RACE0001' }, new Date('2026-11-11T00:00:00Z'), 15)).toBe('already-sent');
  });

  it('publishes after the window the units still above, once; a unit that paid drops off and its notice lapses', async () => {
    await env.store.putPayments([{ unitCode: 'PAYER001', reference: 'BANK-1', paidOn: '2026-11-20', amount: 150_000_000 }]);
    at('2026-12-10');
    const s = await runDisclosure(deps, {});
    expect(s).toMatchObject({ published: 2, lapsed: 1, onHold: 1, notices: { sent: 0 } });
    const record = await env.store.getPublication('2026-12-10');
    expect(record).toMatchObject({ date: '2026-12-10', units: 2, unitCodes: ['BIG00001', 'RACE0001'], key: 'disclosure/2026-12-10/list.csv', minMonthsOverdue: 3, minDebt: 50_000_000 });
    const csv = readFileSync(join(folder, 'disclosure/2026-12-10/list.csv'), 'utf8');
    expect(parseDisclosureCsv(csv).map((r) => r.unitCode)).toEqual(['BIG00001', 'RACE0001']);
    expect(csv).not.toMatch(/example\.vn|0912345678/);
    expect(await env.store.getPreDisclosure('PAYER001')).toMatchObject({ status: 'lapsed', lapsedOn: '2026-12-10' });
    expect(await env.store.caseHistory('BIG00001')).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'disclosure-published', detail: expect.objectContaining({ date: '2026-12-10', key: 'disclosure/2026-12-10/list.csv' }) }),
    ]));
    // The record is never replaced.
    expect(await env.store.putPublication({ ...record!, units: 0, unitCodes: [] })).toBe(false);
    expect(await env.store.getPublication('2026-12-10')).toEqual(record);
    // Run again the same day: the list and the record stay as they were.
    await env.store.putPayments([{ unitCode: 'RACE0001', reference: 'BANK-2', paidOn: '2026-12-10', amount: 150_000_000 }]);
    // RACE0001 paid meanwhile: its notice lapses, but the list of the day stays as published.
    expect(await runDisclosure(deps, {})).toMatchObject({ alreadyPublished: true, published: 2, lapsed: 1 });
    expect(readFileSync(join(folder, 'disclosure/2026-12-10/list.csv'), 'utf8')).toBe(csv);
  });

  it('drops a unit that paid from the next list; a unit whose hold ended is warned before it is published', async () => {
    at('2027-01-10');
    const s = await runDisclosure(deps, {});
    // RACE0001 paid: off the list. BIG00001 still owes; HOLD0001's hold has ended: it is warned first.
    expect((await env.store.getPublication('2027-01-10'))?.unitCodes).toEqual(['BIG00001']);
    expect(recipients()).toEqual(['hold0001@example.vn']);
    expect(s).toMatchObject({ published: 1, lapsed: 0, notices: { sent: 1 } });
    expect(await env.store.getPreDisclosure('RACE0001')).toMatchObject({ status: 'lapsed' });
  });

  it('completes the record from the list already published when a run stopped between the two', async () => {
    const written = renderDisclosureCsv([{ unitCode: 'BIG00001', name: 'Công ty BIG00001', taxCode: '2700123456', district: 'Tam Điệp', monthsOverdue: 7, debt: 123 }], policy);
    await new FolderDocumentStore(folder).put('disclosure/2027-02-10/list.csv', written);
    at('2027-02-10');
    await runDisclosure(deps, {});
    expect(await env.store.getPublication('2027-02-10')).toMatchObject({ unitCodes: ['BIG00001'], totalDebt: 123 });
    expect(readFileSync(join(folder, 'disclosure/2027-02-10/list.csv'), 'utf8')).toBe(written);
    expect(existsSync(join(folder, 'disclosure/2027-02-10/list.csv'))).toBe(true);
  });
});
