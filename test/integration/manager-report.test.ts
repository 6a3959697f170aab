import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { FolderDocumentStore } from '../../functions/commons/documents.ts';
import { DynamoReminderStore } from '../../functions/commons/reminder-store.ts';
import { TableStaffDirectory } from '../../functions/commons/staff-directory.ts';
import { claimTag } from '../../functions/commons/message-claims.ts';
import { logger } from '../../functions/commons/logger.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { runCollectionReport } from '../../functions/steps/collection-report.ts';

/**
 * The managers' monthly email: once the collection report is written, each active manager of the
 * office (enabled, in the directory's manager group, with an email) gets one email with the headline
 * figures and the link to the report in the inbox, one claim per manager and report date; a rerun
 * sends none; a manager whose send failed gets it at the next rerun. On dynalite, SES mocked.
 */
const ses = mockClient(SESClient);
const INBOX = 'https://inbox.example.vn/inbox';
const AS_OF = '2026-11-02';
const DISTRICT = 'Tam Điệp';
const policy = POLICY_VERSIONS.at(-1)!;
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let directory: TableStaffDirectory;
let logs: string[] = [];
const now = new Date(`${AS_OF}T18:00:00+07:00`);

const sent = () => ses.commandCalls(SendEmailCommand).map(({ args: [c] }) => ({
  to: c.input.Destination?.ToAddresses?.[0], subject: c.input.Message?.Subject?.Data ?? '', text: c.input.Message?.Body?.Text?.Data ?? '',
  ref: claimTag.read(c.input.Tags?.find((t) => t.Name === claimTag.NAME)?.Value ?? ''),
}));

beforeAll(async () => {
  env = await dynamoForTests();
  directory = new TableStaffDirectory(env.dynamo.doc, env.tableName);
  deps = assembleDeps({
    store: env.store, reminders: new DynamoReminderStore(env.dynamo.doc, env.tableName), documents: new FolderDocumentStore(mkdtempSync(join(tmpdir(), 'reports-'))),
    ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), directory, clock: fixedClock(() => now), inboxUrl: INBOX,
  });
  await env.store.putEmployers([{ unitCode: 'MGR00001', name: 'Công ty Lãnh Đạo', taxCode: '2700888888', district: DISTRICT, commune: 'Bắc Sơn', email: 'ld@example.vn', phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-04', i));
  await env.store.putPeriods(periods.map((period) => ({ unitCode: 'MGR00001', period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  await env.store.putPayments(periods.slice(0, 4).map((period) => ({ unitCode: 'MGR00001', reference: `UNC-${period}`, paidOn: deadlineOf(period, policy), amount: 20_000_000 })));
  await env.store.putTargets([{ scope: 'district', key: DISTRICT, year: 2026, collected: 200_000_000, maxDebtRatioPercent: 5 }]);
  await env.store.putOfficers([{ officerId: 'cb.mgr.a', name: 'Trần Thị A', email: 'a@bhxh.example.vn', district: DISTRICT, communes: ['Bắc Sơn'], role: 'collector', active: true }]);
  // Two managers, a disabled one, and an officer (not a manager).
  for (const [username, email] of [['ld.nguyen', 'nguyen@bhxh.example.vn'], ['ld.tran', 'tran@bhxh.example.vn'], ['ld.cu', 'cu@bhxh.example.vn']] as const) {
    await directory.apply({ kind: 'create', username, email, group: 'manager' });
  }
  await directory.apply({ kind: 'disable', username: 'ld.cu', because: 'left' });
  await directory.apply({ kind: 'create', username: 'cb.mgr.a', email: 'a@bhxh.example.vn', group: 'officer' });
});
afterAll(() => env.close());

describe("the managers' monthly collection report email", () => {
  it('is sent once to each active manager with the headline figures and the link to the report in the inbox; no employer data, no name in the logs', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
    logs = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { logs.push(JSON.stringify(args)); }));
    const result = await runCollectionReport(deps, { asOf: AS_OF });
    for (const spy of spies) spy.mockRestore();
    expect(result.managers).toMatchObject({ sent: 2 });
    const emails = sent();
    expect(emails.map((e) => e.to).sort()).toEqual(['nguyen@bhxh.example.vn', 'tran@bhxh.example.vn']);
    const report = JSON.parse((await deps.documents.get(`reports/${AS_OF}/report.json`))!);
    const ratio = `${report.office.debtRatioPercent.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
    for (const e of emails) {
      expect(e.ref).toEqual({ message: 'manager-email', purpose: 'collection-report', managerId: expect.stringMatching(/^ld\./), asOf: AS_OF });
      expect(e.subject).toBe(`Báo cáo thu nợ đến ngày 02/11/2026: tỷ lệ nợ ${ratio}`);
      expect(e.text).toContain(`- Tỷ lệ nợ: ${ratio}`);
      expect(e.text).toMatch(/- Nợ chậm đóng: 40\.\d{3}\.\d{3} ₫/);
      expect(e.text).toMatch(/- Đã thu từ đầu năm \/ kế hoạch năm: [\d.]+ ₫ \/ 200\.000\.000 ₫/);
      expect(e.text).toContain(`${INBOX}/report/${AS_OF}`);
      expect(`${e.subject}\n${e.text}`).not.toMatch(/Công ty|2700888888|ld@example\.vn|MGR00001/);
    }
    const logged = logs.join('');
    expect(logged).toContain('Managers told of the collection report');
    expect(logged).not.toMatch(/ld\.nguyen|ld\.tran|nguyen@|tran@/);
  });

  it('sends none on a rerun of the same date', async () => {
    const result = await runCollectionReport(deps, { asOf: AS_OF });
    expect(result.managers).toMatchObject({ sent: 0, alreadySent: 2 });
    expect(sent()).toHaveLength(2);
  });

  it('sends a failed email at the next rerun, to that manager only', async () => {
    ses.reset();
    const next = '2026-12-02';
    ses.on(SendEmailCommand, { Destination: { ToAddresses: ['tran@bhxh.example.vn'] } }).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }))
      .on(SendEmailCommand, { Destination: { ToAddresses: ['nguyen@bhxh.example.vn'] } }).resolves({ MessageId: 'msg-2' });
    const first = (await runCollectionReport(deps, { asOf: next })).managers;
    expect([first.sent, first.pending + first.failed]).toEqual([1, 1]);
    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-3' });
    expect((await runCollectionReport(deps, { asOf: next })).managers).toMatchObject({ sent: 1, alreadySent: 1 });
    expect(sent().map((e) => [e.to, e.ref])).toEqual([['tran@bhxh.example.vn', expect.objectContaining({ managerId: 'ld.tran', asOf: next })]]);
    expect(sent()[0]!.text).toContain(`${INBOX}/report/${next}`);
  });
});
