import { claimTag } from '../../functions/commons/message-claims.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { mockClient } from 'aws-sdk-client-mock';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { extractText, getDocumentProxy } from 'unpdf';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { keys } from '../../functions/commons/table.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { runStatements } from '../../functions/steps/statement-run.ts';
import { loadOffice } from '../../infra/office-config.ts';

/** The statement run on the real DynamoDB wire protocol (dynalite), SES mocked. */
const policy = policyFor('2026-11-02');
const ses = mockClient(SESClient);
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
const now = new Date('2026-11-02T09:00:00+07:00');

/** Periods 2025-11..2026-10, 10 M each, the last `behind` unpaid. */
async function seed(unitCode: string, behind: number, locale: 'vi' | 'en' = 'vi') {
  await env.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale }]);
  const periods = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i));
  await env.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) })));
  await env.store.putPayments(periods.slice(0, periods.length - behind).map((period) => ({ unitCode, reference: `UNC-${period}`, paidOn: deadlineOf(period, policy), amount: 10_000_000 })));
}

const sent = () => ses.commandCalls(SendRawEmailCommand).map((c) => c.args[0].input);

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now) });
  await seed('PAID0001', 0);
  await seed('LATE0001', 2);
  await seed('LATE0002', 4, 'en');
  await seed('BADP0001', 1);
  // A period written around the import's validation: its amount is not whole dong.
  await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.period('BADP0001', '2026-10'), unitCode: 'BADP0001', period: '2026-10', amountDue: 12.5, dueDate: '2026-11-30' } }));
});
afterAll(() => env.close());
beforeEach(() => {
  ses.reset();
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-1' });
});

describe('statement run on dynalite', () => {
  it('sends every unit, late or not, one statement with its PDF; a bad record is reported by key and left out of its unit\'s statement', async () => {
    const s = await runStatements(deps, {});
    expect(s).toMatchObject({ date: '2026-11-02', cycle: '2026-11', unitsScanned: 4, statements: { sent: 4, alreadySent: 0, inProgress: 0, failed: 0, badRecord: 0 } });
    expect(s.malformed).toEqual([{ key: 'EMP#BADP0001 PERIOD#2026-10', reason: expect.stringContaining('amountDue') }]);
    expect(sent().map((m) => m.Destinations?.[0]).sort()).toEqual(['badp0001@example.vn', 'late0001@example.vn', 'late0002@example.vn', 'paid0001@example.vn']);
    expect(sent().every((m) => m.Source === loadOffice().email.notices)).toBe(true);

    const raw = sent().find((m) => m.Destinations?.[0] === 'late0001@example.vn')!.RawMessage!.Data!;
    const mail = await simpleParser(Buffer.from(raw));
    expect(mail.subject).toBe('Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 – đơn vị LATE0001');
    expect(mail.html).toContain('Còn nợ chuyển kỳ sau');
    expect(mail.text).toContain('- 09/2026 (Hạn đóng 31/10/2026): Phải đóng 10.000.000 ₫, Đã đóng 0 ₫, Còn nợ chuyển kỳ sau 10.000.000 ₫');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['thong-bao-ket-qua-dong-2026-11-late0001.pdf', 'application/pdf']]);
    const { text } = await extractText(await getDocumentProxy(new Uint8Array(mail.attachments[0]!.content)), { mergePages: true });
    expect(text).toContain('20.000.000 ₫');

    const english = await simpleParser(Buffer.from(sent().find((m) => m.Destinations?.[0] === 'late0002@example.vn')!.RawMessage!.Data!));
    expect(english.subject).toBe('Contribution statement, November 2026 – unit LATE0002');

    expect(await env.store.getNotice('LATE0001', '2026-11', 'statement')).toMatchObject({ kind: 'statement', status: 'sent', messageId: 'msg-1', contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // BADP0001's statement is computed from the items that validate: 2025-11..2026-09, the unreadable 2026-10 left out.
    const bad = await simpleParser(Buffer.from(sent().find((m) => m.Destinations?.[0] === 'badp0001@example.vn')!.RawMessage!.Data!));
    expect(bad.text).toContain('- 09/2026 (Hạn đóng 31/10/2026): Phải đóng 10.000.000 ₫, Đã đóng 10.000.000 ₫');
    expect(bad.text).toContain('- Cộng: Phải đóng 110.000.000 ₫');
    expect(bad.text).not.toContain('- 10/2026 (');
    expect(await env.store.getNotice('BADP0001', '2026-11', 'statement')).toMatchObject({ status: 'sent', debt: 0 });
    // The statement is not an urging notice: the referral pack's list of notices does not show it.
    expect(await env.store.getNotice('LATE0001', '2026-11')).toBeUndefined();
    expect(await env.store.noticesOf('LATE0001')).toEqual([]);
  });

  it('sends none twice when run again, and still reports the bad record', async () => {
    const s = await runStatements(deps, { asOf: '2026-11-02' });
    expect(s.statements).toMatchObject({ sent: 0, alreadySent: 4, inProgress: 0, failed: 0 });
    expect(s.malformed).toEqual([{ key: 'EMP#BADP0001 PERIOD#2026-10', reason: expect.stringContaining('amountDue') }]);
    expect(sent()).toEqual([]);
    await env.store.putPeriods([{ unitCode: 'BADP0001', period: '2026-10', amountDue: 10_000_000, dueDate: '2026-11-30' }]);
  });

  it('sends no statement to a unit whose profile is unreadable, and reports it', async () => {
    await seed('BADE0001', 0);
    await env.dynamo.doc.send(new PutCommand({ TableName: env.tableName, Item: { ...keys.employer('BADE0001'), unitCode: 'BADE0001', name: 'x', taxCode: '1', district: 'Tam Điệp', commune: 'Bắc Sơn', email: 'not-an-email', phone: '0912345678', locale: 'vi' } }));
    const s = await runStatements(deps, {});
    expect(s).toMatchObject({ statements: { sent: 0, alreadySent: 4, inProgress: 0, failed: 0, badRecord: 1 } });
    expect(s.malformed).toEqual([{ key: 'EMP#BADE0001 PROFILE', reason: expect.stringContaining('email') }]);
    expect(await env.store.getNotice('BADE0001', '2026-11', 'statement')).toMatchObject({ status: 'failed' });
    // Put right, it gets its statement on the next run.
    await seed('BADE0001', 0);
  });

  it('resumes after a crash: a stale claim is taken over, a fresh one left to its worker; an SES failure releases the claim', async () => {
    await seed('CRSH0001', 1);
    await seed('BUSY0001', 1);
    await env.store.claim({ message: 'statement', unitCode: 'CRSH0001', cycle: '2026-11' }, new Date('2026-11-02T01:00:00.000Z'), 15); // 08:00 local, an hour before
    await env.store.claim({ message: 'statement', unitCode: 'BUSY0001', cycle: '2026-11' }, now, 15);
    let s = await runStatements(deps, {});
    expect(s.statements).toMatchObject({ sent: 2, alreadySent: 4, inProgress: 1, failed: 0 });
    expect(sent().map((m) => m.Destinations?.[0]).sort()).toEqual(['bade0001@example.vn', 'crsh0001@example.vn']);

    await seed('SESX0001', 1);
    ses.reset();
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('Throttled'), { name: 'Throttling' }));
    s = await runStatements(deps, {});
    // Throttling is not a failure: the statement waits for the redrive, its claim released.
    expect(s.statements).toMatchObject({ sent: 0, failed: 0, pending: 1 });
    expect(await env.store.getNotice('SESX0001', '2026-11', 'statement')).toMatchObject({ status: 'failed', providerError: 'Throttling' });
    ses.reset();
    ses.on(SendRawEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    s = await runStatements(deps, {});
    expect(s.statements).toMatchObject({ sent: 0, failed: 1 });
    ses.reset();
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'msg-2' });
    s = await runStatements(deps, {});
    expect(s.statements).toMatchObject({ sent: 1 });
  });

  it('carries its claim as an SES tag and header; the provider\'s send event settles a claim whose worker died, so it is not sent again', async () => {
    await seed('EVID0001', 1);
    await seed('TAGS0001', 1);
    const ref = { message: 'statement', unitCode: 'EVID0001', cycle: '2026-11' } as const;
    // The worker claimed it an hour ago and died after SES accepted it; the configuration set's send event arrives.
    await env.store.claim(ref, new Date('2026-11-02T01:00:00.000Z'), 15);
    expect(await env.store.recordEvidence(ref, { event: 'send', at: '2026-11-02T01:00:02.000Z', messageId: 'ses-evid' })).toBe(true);
    const s = await runStatements(deps, {});
    expect(s.statements).toMatchObject({ sent: 1, alreadySent: 8 });
    expect(sent().map((m) => m.Destinations?.[0])).toEqual(['tags0001@example.vn']);
    expect(await env.store.getNotice('EVID0001', '2026-11', 'statement')).toMatchObject({ status: 'sent', messageId: 'ses-evid' });
    const [raw] = sent();
    const tag = raw!.Tags?.find((t) => t.Name === claimTag.NAME)?.Value;
    expect(tag && claimTag.read(tag)).toEqual({ message: 'statement', unitCode: 'TAGS0001', cycle: '2026-11' });
    expect((await simpleParser(Buffer.from(raw!.RawMessage!.Data!))).headers.get('x-claim-key')).toBe(tag);
  });
});
