import type { ReferralEvent, ReferralNotice, ReferralPackInput } from '../../functions/core/referral-pack.ts';
import { caseEvent, type NewCaseEvent } from '../../functions/core/case-events.ts';
import type { ContributionPeriod, Payment } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { addMonths } from '../../functions/core/dates.ts';

/** One unit's data for the referral pack: its model (test/core) and its Markdown (test/report). */

export const policy = POLICY_VERSIONS.at(-1)!;
export const AS_OF = '2026-11-20';
export const UNIT = 'TA000001';

export const periods = (first: string, n: number, amountDue = 10_000_000): ContributionPeriod[] =>
  Array.from({ length: n }, (_, i) => {
    const period = addMonths(first, i);
    return { period, amountDue, dueDate: deadlineOf(period, policy) };
  });

/** As the store returns it: the profile with its email and phone, which the pack must leave out. */
export const employer = {
  unitCode: UNIT, name: 'Công ty TNHH May mặc Hoà Bình | chi nhánh 2', taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn',
  email: 'ketoan@hoabinh.example.vn', phone: '0912345678', locale: 'vi' as const,
};

type Ev = NewCaseEvent extends infer E ? (E extends NewCaseEvent ? Omit<E, 'unitCode'> : never) : never;
export const ev = (e: Ev): ReferralEvent => caseEvent({ ...e, unitCode: UNIT } as NewCaseEvent);
export const task = (cycle: string, type: 'visit' | 'inspection', escalated = false) => ({ taskId: `${UNIT}-${cycle}-${type}${escalated ? '-escalated' : ''}`, taskType: type, escalated });

export const EVENTS: ReferralEvent[] = [
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

export const NOTICES: ReferralNotice[] = [
  { cycle: '2026-11', status: 'failed', claimedAt: '2026-11-01T23:00:05Z' },
  { cycle: '2026-12', status: 'claimed', claimedAt: '2026-12-01T23:00:00Z' },
  { cycle: '2026-10', status: 'sent', claimedAt: '2026-10-01T23:00:04Z', sentAt: '2026-10-01T23:00:05Z', contentSha256: 'b'.repeat(64), stage: 'urging-notice', debt: 10_030_000 },
];

// 2026-06 paid before its deadline; 2026-07 paid 15 days late with its interest, the rest to 2026-08;
// a payment after the as-of date is not yet known.
export const PAYMENTS: Payment[] = [
  { reference: 'P2', paidOn: '2026-09-15', amount: 12_000_000 },
  { reference: 'P3', paidOn: '2026-11-25', amount: 99_000_000 },
  { reference: 'P1', paidOn: '2026-07-20', amount: 10_000_000 },
];

export const input = (over: Partial<ReferralPackInput> = {}): ReferralPackInput => ({
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

/** The unit's tax-data checks (reconciliation's findings) on its case history: their task-opened events carry the finding. */
const check = (id: string) => ({ taskId: `TC-${id}`, taskType: 'tax-data-check' as const, escalated: false });
const finding = (kind: 'unregistered-employee' | 'under-declared-wage', notPaid: number, months: number, evasionFrom: string | null) =>
  ({ kind, year: 2025, months, notPaid, evasionFrom, unregisteredEmployees: kind === 'unregistered-employee' ? 1 : 0 });
export const TAX_EVENTS: ReferralEvent[] = [
  // Open: the employee off the roster.
  ev({ at: '2026-11-03T01:00:00Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...check('a'), officerId: 'cb.tran.thi.b', dueDate: '2026-12-03', finding: finding('unregistered-employee', 12_480_000, 5, '2025-10-02') } }),
  // Closed: the wage corrected (no longer stands).
  ev({ at: '2026-11-03T01:00:01Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...check('b'), officerId: 'cb.tran.thi.b', dueDate: '2026-12-03', finding: finding('under-declared-wage', 3_000_000, 12, '2025-03-01') } }),
  ev({ at: '2026-11-10T01:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'cb.tran.thi.b', detail: { ...check('b'), outcome: 'wage-corrected', hasNote: false } }),
  // Referred to inspection: what the inspector comes for.
  ev({ at: '2026-11-03T01:00:02Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...check('c'), officerId: 'cb.tran.thi.b', dueDate: '2026-12-03', finding: finding('unregistered-employee', 29_952_000, 12, '2025-04-02') } }),
  ev({ at: '2026-11-12T01:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'cb.tran.thi.b', detail: { ...check('c'), outcome: 'refer-to-inspection', hasNote: true } }),
  // Its outcome came after the as-of day: still open then.
  ev({ at: '2026-11-03T01:00:03Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...check('d'), officerId: 'cb.tran.thi.b', dueDate: '2026-12-03', finding: finding('under-declared-wage', 1_500_000, 6, '2025-08-01') } }),
  ev({ at: '2026-11-21T01:00:00Z', cycle: '2026-11', kind: 'outcome-recorded', actor: 'cb.tran.thi.b', detail: { ...check('d'), outcome: 'explained', hasNote: false } }),
  // Opened after the as-of day: not yet known.
  ev({ at: '2026-11-22T01:00:00Z', cycle: '2026-11', kind: 'task-opened', actor: 'system', detail: { ...check('e'), officerId: 'cb.tran.thi.b', dueDate: '2026-12-22', finding: finding('unregistered-employee', 1, 1, null) } }),
];
