import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, lastDayOfPeriod, type Period } from '../../functions/core/dates.ts';
import {
  daysLateOf, owedFor, planEmployeeNotices, renderEmployeeSms, renderEmployerInformed, type NoticeChannel, type RosterRow,
} from '../../functions/core/employee-notice.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { smsSegments } from '../../functions/core/sms.ts';

/**
 * Employees' right to know (functions/core/employee-notice.ts): who is told, of what, and that every
 * SMS is one GSM-7 segment whatever the names and amounts.
 */

const asOf = '2026-11-10';
const policy = policyFor(asOf);
const office = { hotline: '19009068', name: { vi: 'BHXH cơ sở Tam Điệp', en: 'Tam Diep social security office' }, phone: '0229 3864 123' };
const unit = { unitCode: 'TD000006', name: 'Công ty TNHH Xây dựng Tam Điệp' };
const never = () => false;

/** A unit owing `amountDue` for each of `periods`, nothing paid. */
const statusOf = (periods: readonly Period[], payments: { paidOn: string; amount: number }[] = []) => ledgerStatus(
  periods.map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) })),
  payments.map((p, i) => ({ reference: `P${i}`, ...p })), asOf, policy,
);

const member = (i: number, over: Partial<RosterRow> = {}): RosterRow => ({
  siCode: `01230000${String(i).padStart(2, '0')}`, name: `Nguyễn Văn ${i}`, startMonth: '2025-01', salary: 8_000_000,
  phone: `+8491234${String(5600 + i)}`, contactConsent: true, ...over,
});

describe('in whose language', () => {
  it('an employee the roster marks `en` gets the English SMS or email; the others the policy\'s Vietnamese', () => {
    const status = statusOf(['2026-08', '2026-09']);
    const roster = [member(1), member(2, { locale: 'en' }), member(3, { phone: undefined, email: 'c@example.vn', locale: 'en' })];
    const plan = planEmployeeNotices({ unit, status, roster, policy, office, isOptedOut: never });
    const [vi, en, enMail] = plan.notices;
    expect(vi!.sms!.text).toContain('2 thang');
    expect(en!.sms!.text).toContain('2 months');
    expect(en!.sms!.segments).toBe(1);
    expect(enMail!.email!.body).toContain(office.name.en);
    expect(enMail!.email!.body).not.toContain(office.name.vi);
  });
});

describe('who is told', () => {
  it('a unit two months late: every consenting employee active in the unpaid months, by SMS, then email', () => {
    // 2026-08 (deadline 09-30: 41 days late) and 2026-09 (10-31: 10 days late).
    const status = statusOf(['2026-08', '2026-09']);
    const roster = [
      member(1),
      member(2, { phone: undefined, email: 'b@example.vn' }),
      member(3, { phone: undefined, contactConsent: false }),
      // Left before the unpaid months.
      member(4, { endMonth: '2026-06' }),
      // Joined in the second unpaid month: told of that one only.
      member(5, { startMonth: '2026-09' }),
    ];
    const plan = planEmployeeNotices({ unit, status, roster, policy, office, isOptedOut: never });
    expect(plan.late).toBe(true);
    expect(plan.daysLate).toBe(41);
    expect(plan.unpaidMonths).toEqual(['2026-08', '2026-09']);
    expect(plan.notices.map((n) => [n.siCode.slice(-2), n.channel, n.months.map((m) => m.period)])).toEqual([
      ['01', 'sms', ['2026-08', '2026-09']],
      ['02', 'email', ['2026-08', '2026-09']],
      ['05', 'sms', ['2026-09']],
    ]);
    expect(plan.skipped).toEqual({ notInUnpaidMonths: 1, noConsent: 1, noContact: 0, optedOut: 0 });
    const sms = plan.notices[0]!.sms!;
    expect(sms.text).toContain('TD000006');
    expect(sms.text).toContain('2 thang (08/2026-09/2026)');
    expect(sms.text).toContain('19009068');
    const email = plan.notices[1]!.email!;
    expect(email.subject).toContain(unit.name);
    expect(email.body).toContain('- 08/2026: BHXH');
    expect(email.body).toContain('***0002');
  });

  it('the amounts: both shares at the policy rates on the salary, capped', () => {
    // Employer SI 17.5% + employee 8% = 25.5%, HI 3 + 1.5 = 4.5%, UI 1 + 1 = 2%.
    expect(owedFor('2026-08', 10_000_000, policy)).toEqual({ si: 2_550_000, hi: 450_000, ui: 200_000, total: 3_200_000 });
    // Above the cap (20 × 2,340,000): on the cap.
    expect(owedFor('2026-08', 100_000_000, policy)).toEqual(owedFor('2026-08', 46_800_000, policy));
  });

  it('a STOP reply moves the notice to email; with both opted out there is none', () => {
    const status = statusOf(['2026-08']);
    const roster = [member(1, { email: 'a@example.vn' }), member(2, { email: 'b@example.vn' })];
    const plan = planEmployeeNotices({
      unit, status, roster, policy, office,
      isOptedOut: (channel, address) => channel === 'sms' || address === 'b@example.vn',
    });
    expect(plan.notices.map((n) => [n.siCode.slice(-2), n.channel])).toEqual([['01', 'email']]);
    expect(plan.skipped.optedOut).toBe(1);
  });

  it('a person employed twice is told once, each month at the salary of its row', () => {
    const status = statusOf(['2026-07', '2026-08']);
    const roster = [member(1, { startMonth: '2025-01', endMonth: '2026-07', salary: 5_000_000 }), member(1, { startMonth: '2026-08', salary: 10_000_000 })];
    const [notice, ...rest] = planEmployeeNotices({ unit, status, roster, policy, office, isOptedOut: never }).notices;
    expect(rest).toEqual([]);
    expect(notice!.months.map((m) => m.byType.total)).toEqual([1_600_000, 3_200_000]);
  });

  it('the unit is told how many, never who', () => {
    const mail = renderEmployerInformed({ ...unit, locale: 'vi' }, 2, ['2026-08', '2026-09'], asOf, policy.employeeNotice, office);
    expect(mail.body).toContain('2 người lao động');
    expect(mail.body).toContain('08/2026, 09/2026');
    expect(mail.body).not.toContain('Nguyễn');
  });
});

// --- Properties -------------------------------------------------------------------------------

const name = fc.array(fc.constantFrom('Công', 'ty', 'TNHH', 'Thương', 'mại', 'Dịch', 'vụ', 'Xuất', 'nhập', 'khẩu', 'Đông', 'Nam', 'Á', 'Việt', 'Hưng', 'Thịnh', 'Vượng', '&', 'Cổ', 'phần'), { minLength: 1, maxLength: 40 })
  .map((w) => w.join(' '));
const unitCode = fc.stringMatching(/^[A-Z0-9]{4,12}$/);
/** Up to five years unpaid. */
const unpaid = fc.integer({ min: 1, max: 60 }).map((n) => Array.from({ length: n }, (_, i) => addMonths('2021-10', i)).filter((p) => lastDayOfPeriod(p) < asOf).slice(-n));
const hotline = fc.stringMatching(/^\+?\d{4,12}$/);

describe('properties', () => {
  it('every SMS is one GSM-7 segment, in both languages, over any unit name, code, months, amounts and hotline', () => {
    fc.assert(fc.property(
      name, unitCode, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 5_000_000_000 }), hotline, fc.constantFrom('vi' as const, 'en' as const),
      (n, code, months, amount, line, locale) => {
        const periods = Array.from({ length: months }, (_, i) => addMonths('2021-01', i));
        const sms = renderEmployeeSms({ unitCode: code, name: n }, periods, { si: amount, hi: amount, ui: amount, total: 3 * amount }, { ...policy.employeeNotice, locale }, { hotline: line });
        const s = smsSegments(sms.text);
        expect(s.encoding).toBe('GSM-7');
        expect(s.units).toBeLessThanOrEqual(160);
        expect(sms.text).toContain(code);
        expect(sms.text).toContain(line);
      },
    ), { numRuns: 500 });
  });

  const rosterArb = fc.array(fc.record({
    i: fc.integer({ min: 0, max: 30 }),
    start: fc.integer({ min: 0, max: 70 }),
    length: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    salary: fc.integer({ min: 0, max: 200_000_000 }),
    phone: fc.boolean(),
    email: fc.boolean(),
    consent: fc.boolean(),
  }), { maxLength: 25 }).map((rows) => rows.map((r): RosterRow => {
    const startMonth = addMonths('2021-01', r.start);
    return {
      siCode: `01230000${String(r.i).padStart(2, '0')}`, name: `Người ${r.i}`, startMonth,
      endMonth: r.length === undefined ? undefined : addMonths(startMonth, r.length), salary: r.salary,
      phone: r.consent && r.phone ? `+8491234${String(5600 + r.i)}` : undefined,
      email: r.consent && r.email ? `p${r.i}@example.vn` : undefined, contactConsent: r.consent,
    };
  }));
  const optOuts = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 10 }).map((is) => new Set(is.flatMap((i) => [`+8491234${String(5600 + i)}`, `p${i}@example.vn`])));

  it('a unit less than 30 days late gets no notices', () => {
    fc.assert(fc.property(rosterArb, fc.integer({ min: 0, max: 29 }), (roster, days) => {
      // One period whose deadline was `days` days ago.
      const status = { asOf, periods: [{ period: '2026-09', dueDate: '2026-10-31', amountDue: 1, amountPaid: 0, balance: 1, overdue: days > 0, daysLate: days, interest: 0 }] };
      expect(daysLateOf(status)).toBe(days);
      const plan = planEmployeeNotices({ unit, status, roster, policy, office, isOptedOut: never });
      expect(plan.late).toBe(false);
      expect(plan.notices).toEqual([]);
    }));
    // And a unit that has paid everything, however old its periods.
    const paid = statusOf(['2026-01', '2026-02'], [{ paidOn: '2026-02-01', amount: 20_000_000 }]);
    expect(planEmployeeNotices({ unit, status: paid, roster: [member(1)], policy, office, isOptedOut: never }).notices).toEqual([]);
  });

  it('opted-out addresses and employees without consent are never planned; at most one notice per employee', () => {
    fc.assert(fc.property(rosterArb, optOuts, unpaid, (roster, out, periods) => {
      const plan = planEmployeeNotices({ unit, status: statusOf(periods), roster, policy, office, isOptedOut: (_c: NoticeChannel, a) => out.has(a) });
      const codes = plan.notices.map((n) => n.siCode);
      expect(new Set(codes).size).toBe(codes.length);
      for (const n of plan.notices) {
        expect(out.has(n.to)).toBe(false);
        const rows = roster.filter((r) => r.siCode === n.siCode);
        expect(rows.some((r) => r.contactConsent)).toBe(true);
      }
      // Every employee is either told or counted once as skipped.
      const people = new Set(roster.map((r) => r.siCode)).size;
      const s = plan.skipped;
      expect(plan.notices.length + s.notInUnpaidMonths + s.noConsent + s.noContact + s.optedOut).toBe(plan.late ? people : 0);
    }));
  });

  it('amounts add up: per type to the total, per month to the notice, and each month is one the ledger has unpaid and the employee worked', () => {
    fc.assert(fc.property(rosterArb, unpaid, (roster, periods) => {
      const plan = planEmployeeNotices({ unit, status: statusOf(periods), roster, policy, office, isOptedOut: never });
      for (const n of plan.notices) {
        expect(n.byType.total).toBe(n.byType.si + n.byType.hi + n.byType.ui);
        for (const key of ['si', 'hi', 'ui', 'total'] as const) expect(n.months.reduce((a, m) => a + m.byType[key], 0)).toBe(n.byType[key]);
        for (const m of n.months) {
          expect(m.byType.total).toBe(m.byType.si + m.byType.hi + m.byType.ui);
          expect(plan.unpaidMonths).toContain(m.period);
          expect(roster.some((r) => r.siCode === n.siCode && r.startMonth <= m.period && (r.endMonth === undefined || r.endMonth >= m.period))).toBe(true);
        }
        if (n.sms) expect(smsSegments(n.sms.text).units).toBeLessThanOrEqual(160);
      }
    }));
  });
});
