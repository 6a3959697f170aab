import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyEmail, countKinds, readSms, readZns } from '../../local/faults/count.ts';
import type { WireRecord } from '../../local/faults/ses-wire.ts';
import { claimKey, claimTag, type MessageRef } from '../../functions/commons/message-claims.ts';
import { znsTrackingId } from '../../functions/commons/zns-sender.ts';

const wire = (subject: string): WireRecord => ({ at: '2026-11-02T02:00:00Z', action: 'SendRawEmail', messageId: 'm-1', from: 'thu-no@bhxh.example.vn', to: ['a@example.vn'], subject, tags: {}, text: '' });

/** The harness tells the kinds apart by the policy templates' subjects, in both locales. */
describe('counting at the wire', () => {
  it('reads a statement in Vietnamese and in English as the same unit and cycle', () => {
    expect(classifyEmail(wire('Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 – đơn vị TD000001'))).toMatchObject({ kind: 'statement', key: 'TD000001|2026-11' });
    expect(classifyEmail(wire('Contribution statement, November 2026 – unit TD000002'))).toMatchObject({ kind: 'statement', key: 'TD000002|2026-11' });
  });

  it("tells an officer's assignment email from the overdue and closed ones, each assignment apart", () => {
    const tagged = (subject: string, assignment: number): WireRecord => ({ ...wire(subject), tags: { claim: claimTag.of({ message: 'officer-email', taskId: 'TD000001-2026-11-visit', purpose: 'task-assigned', assignment }) } });
    expect(classifyEmail(tagged('Nhiệm vụ mới TD000001-2026-11-visit: hạn 12/11/2026, đơn vị TD000001', 0))).toMatchObject({ kind: 'officer-email', key: 'assigned|TD000001-2026-11-visit#0' });
    expect(classifyEmail(tagged('New task TD000001-2026-11-visit: due 12/11/2026, unit TD000001', 2))).toMatchObject({ kind: 'officer-email', key: 'assigned|TD000001-2026-11-visit#2' });
    expect(classifyEmail(wire('Nhiệm vụ TD000001-2026-11-visit quá hạn, đã chuyển trưởng nhóm'))).toMatchObject({ kind: 'officer-email', key: 'overdue|TD000001-2026-11-visit' });
  });

  it("counts employees' notices (SMS and email) and their units' emails by their claims, apart from the reminders", () => {
    const notice = (employee: string) => claimTag.of({ message: 'employee-notice', unitCode: 'TD000001', cycle: '2026-11', employee });
    const email = classifyEmail({ ...wire('Thông báo về việc đơn vị chậm đóng BHXH'), tags: { claim: notice('e2') } });
    const unit = classifyEmail({ ...wire('Đơn vị TD000001: người lao động đã được thông báo'), tags: { claim: claimTag.of({ message: 'employees-informed', unitCode: 'TD000001', cycle: '2026-11' }) } });
    expect(email).toMatchObject({ kind: 'employee-notice', key: 'TD000001|2026-11|e2' });
    expect(unit).toMatchObject({ kind: 'employees-informed', key: 'TD000001|2026-11' });
    const outbox = mkdtempSync(join(tmpdir(), 'faults-count-'));
    mkdirSync(join(outbox, '2026-11-10'));
    // The first employee's SMS twice (a duplicate), a reminder SMS beside it.
    for (const [i, claim] of [notice('e1'), notice('e1')].entries()) writeFileSync(join(outbox, '2026-11-10', `${i}.sms.txt`), `From: BHXH\nTo: +84912000001\nDate: x\nClaim: ${claim}\n\nBHXH...\n`);
    writeFileSync(join(outbox, '2026-11-10', 'r.sms.txt'), 'From: BHXH\nTo: +84912000002\nDate: x\n\nNhac dong BHXH\n');
    const sent = [...readSms(outbox), email, unit];
    // The store's claims: three employees (the third still failed: missing), the unit told.
    const items = [
      ...['e1', 'e2'].map((e) => ({ pk: 'ROSTER#TD000001', sk: `NOTICE#2026-11#${e}`, message: 'employee-notice', unitCode: 'TD000001', cycle: '2026-11', employee: e, status: 'sent' })),
      { pk: 'ROSTER#TD000001', sk: 'NOTICE#2026-11#e3', message: 'employee-notice', unitCode: 'TD000001', cycle: '2026-11', employee: 'e3', status: 'failed' },
      { pk: 'EMP#TD000001', sk: 'MESSAGE#employees-informed#2026-11', message: 'employees-informed', unitCode: 'TD000001', cycle: '2026-11', status: 'sent' },
    ];
    const rows = countKinds(sent, items, []);
    expect(rows.find((r) => r.kind === 'employee-notice')).toEqual({ kind: 'employee-notice', sent: 3, duplicates: 1, missing: 1, expected: 3 });
    expect(rows.find((r) => r.kind === 'employees-informed')).toEqual({ kind: 'employees-informed', sent: 1, duplicates: 0, missing: 0, expected: 1 });
    expect(rows.find((r) => r.kind === 'reminder-sms')).toMatchObject({ sent: 1, duplicates: 0 });
  });

  it("counts a reminder's phone message once, whether ZNS or (after a refusal) SMS delivered it; both is a duplicate", () => {
    const reminder = (code: string): MessageRef => ({ message: 'reminder', cycle: { kind: 'vsi', code, coveredUntil: '2026-11-30' }, step: 'before-3', channel: 'sms' });
    const claim = (code: string, status: string) => ({ ...claimKey(reminder(code)), message: 'reminder', status });
    const tracking = (code: string) => znsTrackingId(claimKey(reminder(code)));
    const outbox = mkdtempSync(join(tmpdir(), 'faults-count-'));
    mkdirSync(join(outbox, 'zns', '2026-11-27'), { recursive: true });
    mkdirSync(join(outbox, 'sms', '2026-11-27'), { recursive: true });
    const zns = (file: string, code: string) => writeFileSync(join(outbox, 'zns', '2026-11-27', file), JSON.stringify({ msg_id: file, phone: '84912000001', template_id: '410002', template_data: {}, tracking_id: tracking(code) }));
    const sms = (file: string, code: string) => writeFileSync(join(outbox, 'sms', '2026-11-27', file), `From: BHXH\nTo: +84912000002\nDate: x\nClaim: ${claimTag.of(reminder(code))}\n\nNhac dong BHXH ${code}\n`);
    // A by ZNS; B refused by ZNS, then by SMS; C by ZNS and by SMS as well (a duplicate); D by ZNS, its file copied twice under two names (a duplicate).
    zns('a.zns.json', '2700000001');
    sms('b.sms.txt', '2700000002');
    zns('c.zns.json', '2700000003');
    sms('c.sms.txt', '2700000003');
    zns('d1.zns.json', '2700000004');
    zns('d2.zns.json', '2700000004');
    const items: (Record<string, unknown> & { pk: string; sk: string })[] = [
      claim('2700000001', 'sent'), claim('2700000002', 'sent'), claim('2700000003', 'sent'), claim('2700000004', 'sent'),
      // E: claimed, its ZNS attempt under way when the run died, never finished: missing by ZNS.
      claim('2700000005', 'claimed'), { pk: `ZNS#${tracking('2700000005')}`, sk: 'ATTEMPT', trackingId: tracking('2700000005'), status: 'sending' },
      // F: ZNS refused it, the SMS fallback not finished: missing by SMS. G: no attempt on record: missing by SMS.
      claim('2700000006', 'failed'), { pk: `ZNS#${tracking('2700000006')}`, sk: 'ATTEMPT', trackingId: tracking('2700000006'), status: 'refused', reason: 'zns-118' },
      claim('2700000007', 'claimed'),
    ];
    const sent = [...readZns(join(outbox, 'zns')), ...readSms(join(outbox, 'sms'))];
    expect(sent.filter((s) => s.kind === 'reminder-zns').map((s) => s.key).sort()).toEqual([tracking('2700000001'), tracking('2700000003'), tracking('2700000004'), tracking('2700000004')].sort());
    const rows = countKinds(sent, items, []);
    expect(rows.find((r) => r.kind === 'reminder-zns')).toEqual({ kind: 'reminder-zns', sent: 4, duplicates: 1, missing: 1, expected: 4 });
    expect(rows.find((r) => r.kind === 'reminder-sms')).toEqual({ kind: 'reminder-sms', sent: 2, duplicates: 1, missing: 2, expected: 4 });
  });

  it('finds nothing amiss when each phone reminder went once by one channel', () => {
    const reminder = (code: string): MessageRef => ({ message: 'reminder', cycle: { kind: 'hi', code, coveredUntil: '2026-11-30' }, step: 'before-3', channel: 'sms' });
    const outbox = mkdtempSync(join(tmpdir(), 'faults-count-'));
    writeFileSync(join(outbox, 'x.zns.json'), JSON.stringify({ tracking_id: znsTrackingId(claimKey(reminder('HGD000001'))) }));
    writeFileSync(join(outbox, 'y.sms.txt'), `From: BHXH\nTo: +84912000003\nDate: x\nClaim: ${claimTag.of(reminder('HGD000002'))}\n\nNhac\n`);
    const items = ['HGD000001', 'HGD000002'].map((c) => ({ ...claimKey(reminder(c)), message: 'reminder', status: 'sent' }));
    const rows = countKinds([...readZns(outbox), ...readSms(outbox)], items, []);
    for (const kind of ['reminder-zns', 'reminder-sms'] as const) expect(rows.find((r) => r.kind === kind)).toEqual({ kind, sent: 1, duplicates: 0, missing: 0, expected: 1 });
  });
});
