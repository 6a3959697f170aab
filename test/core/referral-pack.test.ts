import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildReferralPack, renderReferralPack, type ReferralEvent, type ReferralNotice, type ReferralPackInput } from '../../functions/core/referral-pack.ts';
import { caseEvent, type NewCaseEvent } from '../../functions/core/case-events.ts';
import { ledgerStatus, type ContributionPeriod, type Payment } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { addDays, addMonths } from '../../functions/core/dates.ts';
import { formatVnd } from '../../functions/core/money.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const AS_OF = '2026-11-20';
const UNIT = 'TA000001';

const periods = (first: string, n: number, amountDue = 10_000_000): ContributionPeriod[] =>
  Array.from({ length: n }, (_, i) => {
    const period = addMonths(first, i);
    return { period, amountDue, dueDate: deadlineOf(period, policy) };
  });

/** As the store returns it: the profile with its email and phone, which the pack must leave out. */
const employer = {
  unitCode: UNIT, name: 'Công ty TNHH May mặc Hoà Bình | chi nhánh 2', taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn',
  email: 'ketoan@hoabinh.example.vn', phone: '0912345678', locale: 'vi' as const,
};

type Ev = NewCaseEvent extends infer E ? (E extends NewCaseEvent ? Omit<E, 'unitCode'> : never) : never;
const ev = (e: Ev): ReferralEvent => caseEvent({ ...e, unitCode: UNIT } as NewCaseEvent);
const task = (cycle: string, type: 'visit' | 'inspection', escalated = false) => ({ taskId: `${UNIT}-${cycle}-${type}${escalated ? '-escalated' : ''}`, taskType: type, escalated });

const EVENTS: ReferralEvent[] = [
  ev({
    at: '2026-10-01T23:00:05Z', cycle: '2026-10', kind: 'notice-sent', actor: 'system',
    detail: { channel: 'email', stage: 'urging-notice', debt: 1, interest: 0, payBy: '2026-10-17', messageId: 'm-1', contentSha256: 'b'.repeat(64), missedInstalment: null },
  }),
  ev({
    at: '2026-10-01T23:00:07Z', cycle: '2026-10', kind: 'officer-assigned', actor: 'system',
    detail: { ...task('2026-10', 'visit'), role: 'collector', officerId: 'cb.tran.thi.b', continuity: false, dueDate: '2026-10-12', escalatedFrom: null },
  }),
  ev({ at: '2026-10-01T23:00:08Z', cycle: '2026-10', kind: 'task-opened', actor: 'system', detail: { ...task('2026-10', 'visit'), officerId: 'cb.tran.thi.b', dueDate: '2026-10-12' } }),
  ev({ at: '2026-10-05T03:00:00Z', cycle: '2026-10', kind: 'outcome-recorded', actor: 'cb.tran.thi.b', detail: { ...task('2026-10', 'visit'), outcome: 'promised-to-pay', hasNote: true } }),
  ev({ at: '2026-10-10T02:00:00Z', cycle: '2026-10', kind: 'hold-set', actor: 'tt.le.c', detail: { reason: 'dispute', until: '2026-10-20', hasNote: true, taskId: null } }),
  ev({ at: '2026-10-15T02:00:00Z', cycle: '2026-10', kind: 'hold-cleared', actor: 'tt.le.c', detail: {} }),
  ev({ at: '2026-11-01T23:00:08Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...task('2026-11', 'visit'), officerId: 'cb.tran.thi.b', dueDate: '2026-11-12' } }),
  // Midnight local time: the task ran out on the 13th in the office, the 12th in UTC.
  ev({ at: '2026-11-12T17:00:00Z', cycle: '2026-11', kind: 'task-timed-out', actor: 'system', detail: { ...task('2026-11', 'visit'), officerId: 'cb.tran.thi.b', escalating: true } }),
  ev({ at: '2026-11-13T02:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'tl.vo.van.d', detail: { ...task('2026-11', 'visit', true), outcome: 'refer-to-inspection', hasNote: false } }),
  // The last second of the as-of day in the office is in; the first second of the next day is not.
  ev({
    at: '2026-11-20T16:59:59Z', cycle: '2026-11', kind: 'task-closed-by-payment', actor: 'import:bank-file',
    detail: { ...task('2026-11', 'visit', true), officerId: 'tl.vo.van.d', reference: 'BANK-1' },
  }),
  ev({
    at: '2026-11-20T17:00:00Z', cycle: '2026-11', kind: 'task-closed-by-payment', actor: 'import:bank-file',
    detail: { ...task('2026-11', 'inspection'), officerId: 'tt.pham.van.c', reference: 'BANK-2' },
  }),
  ev({
    at: '2026-11-02T00:00:00Z', cycle: '2026-11', kind: 'referral-pack-built', actor: 'system',
    detail: { ...task('2026-11', 'inspection'), inspectorId: 'tt.pham.van.c', sha256: 'c'.repeat(64), asOf: '2026-11-02' },
  }),
];

const NOTICES: ReferralNotice[] = [
  { cycle: '2026-11', status: 'failed', claimedAt: '2026-11-01T23:00:05Z' },
  { cycle: '2026-12', status: 'claimed', claimedAt: '2026-12-01T23:00:00Z' },
  { cycle: '2026-10', status: 'sent', claimedAt: '2026-10-01T23:00:04Z', sentAt: '2026-10-01T23:00:05Z', contentSha256: 'b'.repeat(64), stage: 'urging-notice', debt: 10_030_000 },
];

// 2026-06 paid before its deadline; 2026-07 paid 15 days late with its interest, the rest to 2026-08;
// a payment after the as-of date is not yet known.
const PAYMENTS: Payment[] = [
  { reference: 'P2', paidOn: '2026-09-15', amount: 12_000_000 },
  { reference: 'P3', paidOn: '2026-11-25', amount: 99_000_000 },
  { reference: 'P1', paidOn: '2026-07-20', amount: 10_000_000 },
];

const input = (over: Partial<ReferralPackInput> = {}): ReferralPackInput => ({
  asOf: AS_OF,
  unit: employer,
  case: { status: 'open', stage: 'inspection', anchorPeriod: '2026-08', monthsOverdue: 2, openedOn: '2026-10-02', officerId: 'cb.tran.thi.b' },
  periods: periods('2026-06', 5),
  payments: PAYMENTS,
  notices: NOTICES,
  events: EVENTS,
  hold: { reason: 'force-majeure', until: '2026-11-30' },
  inspection: { taskId: `${UNIT}-2026-11-inspection`, inspectorId: 'tt.pham.van.c', dueDate: '2026-12-05' },
  ...over,
});

describe('referral pack (pure)', () => {
  const pack = buildReferralPack(input(), policy);

  it('names the unit with what the inspector needs, never its email or phone', () => {
    expect(pack.unit).toEqual({ unitCode: UNIT, name: employer.name, taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn' });
    const everything = JSON.stringify(pack) + renderReferralPack(pack);
    expect(everything).not.toContain(employer.email);
    expect(everything).not.toContain(employer.phone);
    expect(pack.case).toEqual({ status: 'open', stage: 'inspection', anchorPeriod: '2026-08', monthsOverdue: 2, openedOn: '2026-10-02', officerId: 'cb.tran.thi.b', inspectorId: null });
    expect(pack.inspection).toEqual({ taskId: `${UNIT}-2026-11-inspection`, inspectorId: 'tt.pham.van.c', dueDate: '2026-12-05' });
    expect(pack.policy).toEqual({ version: policy.version, legalBasis: policy.source, dailyInterestRatePpm: 300, evasionAfterDays: 60 });
  });

  it('states the position and every period as the ledger computes them as of the date', () => {
    const status = ledgerStatus(input().periods, PAYMENTS, AS_OF, policy);
    expect(pack.position).toMatchObject({
      debt: status.debt, overduePrincipal: 18_045_000, interestOutstanding: status.interestOutstanding, interestPaid: 45_000,
      notYetDue: 10_000_000, credit: 0, totalDue: 50_000_000, totalPaid: 22_000_000, oldestUnpaidPeriod: '2026-08', monthsOverdue: 2,
    });
    expect(pack.position.debt).toBe(18_045_000 + status.interestOutstanding);
    expect(pack.periods.map((p) => [p.period, p.amountPaid, p.balance, p.daysLate])).toEqual([
      ['2026-06', 10_000_000, 0, 0],
      ['2026-07', 10_000_000, 0, 0],
      ['2026-08', 1_955_000, 8_045_000, 51],
      ['2026-09', 0, 10_000_000, 20],
      ['2026-10', 0, 10_000_000, 0],
    ]);
    expect(pack.periods.map((p) => p.interest)).toEqual(status.periods.map((p) => p.interest));
  });

  it('lists payments made by the date, in date order, each with where it went', () => {
    expect(pack.payments).toEqual([
      { reference: 'P1', paidOn: '2026-07-20', amount: 10_000_000, allocations: [{ to: '2026-06', amount: 10_000_000 }] },
      {
        reference: 'P2', paidOn: '2026-09-15', amount: 12_000_000,
        allocations: [{ to: '2026-07', amount: 10_000_000 }, { to: 'interest', amount: 45_000 }, { to: '2026-08', amount: 1_955_000 }],
      },
    ]);
  });

  it('marks periods unpaid more than the evasion threshold after their deadline, and only those', () => {
    // 2026-08 is due 2026-09-30: 60 days late on 2026-11-29, 61 on 2026-11-30.
    const on = (asOf: string) => buildReferralPack(input({ asOf, payments: [] }), policy);
    expect(on('2026-11-29').position.periodsPastEvasionThreshold).toEqual(['2026-06', '2026-07']);
    expect(on('2026-11-30').position.periodsPastEvasionThreshold).toEqual(['2026-06', '2026-07', '2026-08']);
    expect(on('2026-11-30').periods.map((p) => p.pastEvasionThreshold)).toEqual([true, true, true, false, false]);
    expect(pack.position.periodsPastEvasionThreshold).toEqual([]);
  });

  it('lists the notices by cycle with the office date sent, the status and the content hash', () => {
    expect(pack.notices).toEqual([
      { cycle: '2026-10', stage: 'urging-notice', status: 'sent', sentOn: '2026-10-02', contentSha256: 'b'.repeat(64), debt: 10_030_000 },
      { cycle: '2026-11', stage: null, status: 'failed', sentOn: null, contentSha256: null, debt: null },
    ]);
  });

  it('keeps the officers\' contacts from the case history: tasks opened, outcomes, run out, closed by a payment', () => {
    expect(pack.contacts).toEqual([
      { on: '2026-10-02', cycle: '2026-10', event: 'task-opened', taskId: `${UNIT}-2026-10-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: '2026-10-12', noteRecorded: false },
      { on: '2026-10-05', cycle: '2026-10', event: 'outcome', taskId: `${UNIT}-2026-10-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: 'promised-to-pay', dueDate: null, noteRecorded: true },
      { on: '2026-11-02', cycle: '2026-11', event: 'task-opened', taskId: `${UNIT}-2026-11-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: '2026-11-12', noteRecorded: false },
      { on: '2026-11-13', cycle: '2026-11', event: 'timed-out', taskId: `${UNIT}-2026-11-visit`, taskType: 'visit', officerId: 'cb.tran.thi.b', outcome: null, dueDate: null, noteRecorded: false },
      { on: '2026-11-13', cycle: '2026-11', event: 'outcome', taskId: `${UNIT}-2026-11-visit-escalated`, taskType: 'visit', officerId: 'tl.vo.van.d', outcome: 'refer-to-inspection', dueDate: null, noteRecorded: false },
      { on: '2026-11-20', cycle: '2026-11', event: 'closed-by-payment', taskId: `${UNIT}-2026-11-visit-escalated`, taskType: 'visit', officerId: 'tl.vo.van.d', outcome: 'paid', dueDate: null, noteRecorded: false },
    ]);
  });

  it('shows the hold now in force or lapsed, and every hold set and lifted', () => {
    expect(pack.holds).toEqual({
      current: { reason: 'force-majeure', until: '2026-11-30', inForce: true },
      history: [
        { on: '2026-10-10', action: 'set', reason: 'dispute', until: '2026-10-20', by: 'tt.le.c' },
        { on: '2026-10-15', action: 'lifted', reason: null, until: null, by: 'tt.le.c' },
      ],
    });
    expect(buildReferralPack(input({ asOf: '2026-12-01' }), policy).holds.current).toEqual({ reason: 'force-majeure', until: '2026-11-30', inForce: false });
    expect(buildReferralPack(input({ hold: undefined, events: [] }), policy).holds).toEqual({ current: null, history: [] });
  });

  it('is the same pack, byte for byte, whatever order the data comes in', () => {
    const shuffled = input({ events: [...EVENTS].reverse(), notices: [...NOTICES].reverse(), payments: [...PAYMENTS].reverse(), periods: periods('2026-06', 5).reverse() });
    expect(JSON.stringify(buildReferralPack(shuffled, policy))).toBe(JSON.stringify(pack));
    // Data recorded after the as-of day does not change it either.
    const later = input({ events: [...EVENTS, ev({ at: '2026-11-21T01:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'tt.pham.van.c', detail: { ...task('2026-11', 'inspection'), outcome: 'closed', hasNote: false } })] });
    expect(JSON.stringify(buildReferralPack(later, policy))).toBe(JSON.stringify(pack));
  });

  it('builds a pack for a unit with no case, periods, payments, notices or history', () => {
    const empty = buildReferralPack({ asOf: AS_OF, unit: employer, periods: [], payments: [], notices: [], events: [] }, policy);
    expect(empty).toMatchObject({ case: null, inspection: null, periods: [], payments: [], notices: [], contacts: [], holds: { current: null, history: [] } });
    expect(empty.position).toMatchObject({ debt: 0, monthsOverdue: 0, oldestUnpaidPeriod: null });
    const text = renderReferralPack(empty);
    expect(text).toContain('Không có kỳ đóng / No contribution periods.');
    expect(text.match(/Không có \/ None\./g)).toHaveLength(3);
    expect(text).toContain('Hiện không tạm dừng / No hold now.');
  });

  it('allocates every payment in full (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.array(fc.record({ day: fc.integer({ min: 0, max: 500 }), amount: fc.integer({ min: 1, max: 40_000_000 }) }), { maxLength: 8 }),
      fc.integer({ min: 0, max: 500 }),
      (n, raw, asOfDay) => {
        const ps = periods('2025-06', n);
        const payments = raw.map((p, i) => ({ reference: `R${i}`, paidOn: addDays('2025-06-01', p.day), amount: p.amount }));
        const asOf = addDays('2025-06-01', asOfDay);
        const built = buildReferralPack(input({ asOf, periods: ps, payments }), policy);
        const status = ledgerStatus(ps, payments, asOf, policy);
        expect(built.position.debt).toBe(status.debt);
        expect(built.periods).toHaveLength(n);
        expect(built.payments).toHaveLength(payments.filter((p) => p.paidOn <= asOf).length);
        for (const p of built.payments) expect(p.allocations.reduce((s, a) => s + a.amount, 0)).toBe(p.amount);
        for (const p of built.periods) expect(p.pastEvasionThreshold).toBe(p.balance > 0 && p.daysLate > 60 && p.dueDate < asOf);
      },
    ), { numRuns: 150 });
  });
});

describe('referral pack rendering', () => {
  const pack = buildReferralPack(input(), policy);
  const text = renderReferralPack(pack, 'd'.repeat(64));

  it('has Vietnamese headings with their English', () => {
    for (const heading of [
      `# Hồ sơ chuyển thanh tra – đơn vị ${UNIT} / Inspection referral pack – unit ${UNIT}`,
      '## Đơn vị / Unit', '## Hồ sơ đôn đốc / Case', '## Số nợ / Position', '## Các kỳ đóng / Contribution periods',
      '## Các khoản đã nộp / Payments', '## Thông báo đôn đốc / Urging notices', '## Nhật ký làm việc của cán bộ / Officer contact log',
      '## Tạm dừng đôn đốc / Holds',
    ]) expect(text.split('\n')).toContain(heading);
  });

  it('states the money in dong, the hash, and only the periods with something owed or charged', () => {
    expect(text).toContain(`SHA-256 (JSON): \`${'d'.repeat(64)}\``);
    expect(text).toContain(`| Tổng phải nộp / Total to pay | **${formatVnd(pack.position.debt)}** |`);
    expect(text).toContain('| 2026-08 | 2026-09-30 | 10.000.000 ₫ | 1.955.000 ₫ | 8.045.000 ₫ | 51 |');
    expect(text).toContain('| 2026-07 | 2026-08-31 | 10.000.000 ₫ | 10.000.000 ₫ | 0 ₫ | 0 | 45.000 ₫ |');
    expect(text).not.toContain('| 2026-06 | 2026-07-31');
    expect(text).toContain('1 kỳ khác đã đóng đủ, đúng hạn / other period(s) paid in full and on time.');
    expect(text).toContain('| 2026-09-15 | P2 | 12.000.000 ₫ | kỳ / period 2026-07 10.000.000 ₫; lãi / interest 45.000 ₫; kỳ / period 2026-08 1.955.000 ₫ |');
    expect(text).toContain(`| 2026-10 | 2026-10-02 | đôn đốc / urging notice | đã gửi / sent | 10.030.000 ₫ | \`${'b'.repeat(64)}\` |`);
    expect(text).toContain(`| 2026-11-13 | 2026-11 | ${UNIT}-2026-11-visit-escalated | tl.vo.van.d | kết quả / outcome | refer-to-inspection | - | - |`);
    expect(text).toContain('Hiện tại / Current: bất khả kháng / force majeure đến / until 2026-11-30 (đang hiệu lực / in force).');
    expect(text).toContain('| 2026-10-10 | đặt / set | tranh chấp / dispute | 2026-10-20 | tt.le.c |');
  });

  it('keeps a table cell in its column when a value holds a pipe', () => {
    expect(text).toContain('| Tên / Name | Công ty TNHH May mặc Hoà Bình \\| chi nhánh 2 |');
  });
});
