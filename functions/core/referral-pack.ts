import type { ClaimStatus } from './claim-rule.ts';
import { ledgerStatus, type Allocation, type ContributionPeriod, type Payment, type Vnd } from './ledger.ts';
import { endOfLocalDay, localDate, type IsoDate, type Period } from './dates.ts';
import type { AnyTaskType, HoldReason, Policy, StageName } from './policy.ts';
import { inForceOn } from './effective-date.ts';
import { unhandledEvent, type CaseEvent } from './case-events.ts';
import type { FindingKind } from './reconciliation.ts';

/**
 * The referral pack an inspector takes to a unit at the inspection stage: who the unit is, what it
 * owes period by period with interest, what it paid and where each payment went, the urging
 * notices sent (with the hash of their content), the officers' contacts and their outcomes, and
 * the holds, and the findings of reconciliation with tax data still standing against the unit (its
 * open tax-data checks, and those referred to inspection). Built from plain data, as of a date: everything recorded after the end of that day is
 * left out, so the same data gives the same pack (and the same hash) again.
 *
 * Personal data: the unit's name and tax code (the inspector needs them, the pack is the
 * inspector's), its district and commune; never its email or phone, never notes written by staff
 * or on holds. Officers appear by their sign-in id only.
 */

export interface ReferralUnit {
  unitCode: string;
  name: string;
  taxCode: string;
  district: string;
  commune: string;
}

export interface ReferralCase {
  status: 'open' | 'closed';
  stage: StageName | null;
  anchorPeriod: Period | null;
  monthsOverdue: number;
  openedOn: IsoDate;
  officerId?: string | undefined;
  inspectorId?: string | undefined;
}

export interface ReferralNotice {
  cycle: Period;
  status: ClaimStatus;
  claimedAt: string;
  sentAt?: string | undefined;
  contentSha256?: string | undefined;
  stage?: StageName | undefined;
  debt?: Vnd | undefined;
}

/** The case history as the store returns it. */
export type ReferralEvent = CaseEvent;

export interface ReferralPackInput {
  asOf: IsoDate;
  unit: ReferralUnit;
  case?: ReferralCase | undefined;
  periods: readonly ContributionPeriod[];
  payments: readonly Payment[];
  notices: readonly ReferralNotice[];
  /** The unit's case history (any order). */
  events: readonly ReferralEvent[];
  hold?: { reason: HoldReason; until: IsoDate } | undefined;
  /** The inspection the pack is for, when it is built as the task opens. */
  inspection?: { taskId: string; inspectorId: string; dueDate: IsoDate } | undefined;
}

export type ContactEvent = 'task-opened' | 'attempt' | 'outcome' | 'timed-out' | 'closed-by-payment';

export interface ReferralPack {
  kind: 'referral-pack';
  version: 1;
  asOf: IsoDate;
  policy: { version: string; legalBasis: string; dailyInterestRatePpm: number; evasionAfterDays: number };
  unit: ReferralUnit;
  case: (Omit<ReferralCase, 'officerId' | 'inspectorId'> & { officerId: string | null; inspectorId: string | null }) | null;
  inspection: { taskId: string; inspectorId: string; dueDate: IsoDate } | null;
  position: {
    debt: Vnd;
    overduePrincipal: Vnd;
    interestOutstanding: Vnd;
    interestAccrued: Vnd;
    interestPaid: Vnd;
    notYetDue: Vnd;
    credit: Vnd;
    totalDue: Vnd;
    totalPaid: Vnd;
    oldestUnpaidPeriod: Period | null;
    monthsOverdue: number;
    /** Late periods still unpaid more than `evasionAfterDays` after their deadline (trốn đóng). */
    periodsPastEvasionThreshold: Period[];
  };
  periods: {
    period: Period;
    dueDate: IsoDate;
    amountDue: Vnd;
    amountPaid: Vnd;
    balance: Vnd;
    daysLate: number;
    interest: Vnd;
    pastEvasionThreshold: boolean;
  }[];
  payments: { reference: string; paidOn: IsoDate; amount: Vnd; allocations: { to: Allocation['to']; amount: Vnd }[] }[];
  notices: { cycle: Period; stage: StageName | null; status: ReferralNotice['status']; sentOn: IsoDate | null; contentSha256: string | null; debt: Vnd | null }[];
  contacts: {
    on: IsoDate;
    cycle: Period;
    event: ContactEvent;
    taskId: string;
    taskType: AnyTaskType;
    officerId: string;
    outcome: string | null;
    dueDate: IsoDate | null;
    noteRecorded: boolean;
  }[];
  holds: {
    current: { reason: HoldReason; until: IsoDate; inForce: boolean } | null;
    history: { on: IsoDate; action: 'set' | 'lifted'; reason: string | null; until: IsoDate | null; by: string }[];
  };
  /**
   * Findings of reconciliation with tax data (read off the case history: each check's task-opened
   * event carries its finding, never an employee's personal ID) whose check is still open, or was
   * closed by referring it to inspection; oldest first.
   */
  taxFindings: {
    taskId: string;
    openedOn: IsoDate;
    kind: FindingKind;
    /** The tax year reconciled. */
    year: number;
    /** Employees paid per the tax data and not on the unit's roster. */
    employeesNotCovered: number;
    /** Months the estimate counts (employee-months). */
    months: number;
    /** Estimated contributions not paid; for closed-with-debt, the debt of the day. */
    notPaid: Vnd;
    /** The day from which it counts as evasion (Decree 274/2025), or null. */
    evasionFrom: IsoDate | null;
    status: 'open' | 'referred-to-inspection';
  }[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the pack as of `input.asOf` under `policy` (the one in force that day). Pure. */
export function buildReferralPack(input: ReferralPackInput, policy: Policy): ReferralPack {
  const { asOf } = input;
  const zone = policy.timeZone;
  const cutoff = endOfLocalDay(asOf, zone).toISOString();
  const dayOf = (instant: string) => localDate(new Date(instant), zone);
  // Recorded by the end of the as-of day: ISO instants in UTC compare as text.
  const events = input.events.filter((e) => e.at < cutoff).sort((a, b) => byText(a.at, b.at) || byText(a.kind, b.kind) || byText(a.dedupeKey, b.dedupeKey));

  const status = ledgerStatus(input.periods, input.payments, asOf, policy);
  const pastThreshold = (p: { overdue: boolean; daysLate: number }) => p.overdue && p.daysLate > policy.evasionAfterDays;
  const allocationsOf = new Map<string, { to: Allocation['to']; amount: Vnd }[]>();
  for (const a of status.allocations) {
    const list = allocationsOf.get(a.reference) ?? [];
    list.push({ to: a.to, amount: a.amount });
    allocationsOf.set(a.reference, list);
  }

  return {
    kind: 'referral-pack',
    version: 1,
    asOf,
    policy: {
      version: policy.version,
      legalBasis: policy.source,
      dailyInterestRatePpm: rateOn(asOf, policy),
      evasionAfterDays: policy.evasionAfterDays,
    },
    unit: { unitCode: input.unit.unitCode, name: input.unit.name, taxCode: input.unit.taxCode, district: input.unit.district, commune: input.unit.commune },
    case: input.case
      ? {
        status: input.case.status, stage: input.case.stage, anchorPeriod: input.case.anchorPeriod, monthsOverdue: input.case.monthsOverdue,
        openedOn: input.case.openedOn, officerId: input.case.officerId ?? null, inspectorId: input.case.inspectorId ?? null,
      }
      : null,
    inspection: input.inspection ? { ...input.inspection } : null,
    position: {
      debt: status.debt,
      overduePrincipal: status.overduePrincipal,
      interestOutstanding: status.interestOutstanding,
      interestAccrued: status.interestAccrued,
      interestPaid: status.interestPaid,
      notYetDue: status.notYetDue,
      credit: status.credit,
      totalDue: status.totalDue,
      totalPaid: status.totalPaid,
      oldestUnpaidPeriod: status.oldestUnpaidPeriod,
      monthsOverdue: status.monthsOverdue,
      periodsPastEvasionThreshold: status.periods.filter(pastThreshold).map((p) => p.period),
    },
    periods: status.periods.map((p) => ({
      period: p.period, dueDate: p.dueDate, amountDue: p.amountDue, amountPaid: p.amountPaid, balance: p.balance,
      daysLate: p.daysLate, interest: p.interest, pastEvasionThreshold: pastThreshold(p),
    })),
    payments: input.payments
      .filter((p) => p.paidOn <= asOf)
      .map((p) => ({ reference: p.reference, paidOn: p.paidOn, amount: p.amount, allocations: allocationsOf.get(p.reference) ?? [] }))
      .sort((a, b) => byText(a.paidOn, b.paidOn) || byText(a.reference, b.reference)),
    notices: input.notices
      // A notice claimed after the as-of day is not yet part of the story.
      .filter((n) => n.claimedAt < cutoff)
      .map((n) => ({
        cycle: n.cycle, stage: n.stage ?? null, status: n.status, sentOn: n.sentAt ? dayOf(n.sentAt) : null,
        contentSha256: n.contentSha256 ?? null, debt: n.debt ?? null,
      }))
      .sort((a, b) => byText(a.cycle, b.cycle)),
    contacts: events.flatMap((e) => {
      const contact = contactOf(e);
      return contact ? [{ on: dayOf(e.at), cycle: e.cycle, ...contact }] : [];
    }),
    holds: {
      current: input.hold ? { reason: input.hold.reason, until: input.hold.until, inForce: asOf <= input.hold.until } : null,
      history: events.flatMap((e): ReferralPack['holds']['history'] => {
        const hold = holdOf(e);
        return hold ? [{ on: dayOf(e.at), ...hold, by: e.actor }] : [];
      }),
    },
    taxFindings: taxFindingsOf(events, dayOf),
  };
}

/** The tax-data checks opened on the unit whose finding still stands: no outcome yet, or referred to inspection. */
function taxFindingsOf(events: readonly CaseEvent[], dayOf: (instant: string) => IsoDate): ReferralPack['taxFindings'] {
  const outcomes = new Map<string, string>();
  for (const e of events) if (e.kind === 'outcome-recorded' && e.detail.taskType === 'tax-data-check') outcomes.set(e.detail.taskId, e.detail.outcome);
  const found: ReferralPack['taxFindings'] = [];
  for (const e of events) {
    if (e.kind !== 'task-opened' || !e.detail.finding) continue;
    const outcome = outcomes.get(e.detail.taskId);
    if (outcome !== undefined && outcome !== 'refer-to-inspection') continue;
    const f = e.detail.finding;
    found.push({
      taskId: e.detail.taskId, openedOn: dayOf(e.at), kind: f.kind, year: f.year, employeesNotCovered: f.unregisteredEmployees,
      months: f.months, notPaid: f.notPaid, evasionFrom: f.evasionFrom, status: outcome === undefined ? 'open' : 'referred-to-inspection',
    });
  }
  return found;
}

/** The daily rate in force on a date (the last rate that took effect by then). */
function rateOn(date: IsoDate, policy: Policy): number {
  return inForceOn(policy.interest.rates, date).dailyRatePpm;
}

/** The officers' side of the history: tasks opened, answered, run out, or closed by a payment. */
function contactOf(e: CaseEvent): (Omit<ReferralPack['contacts'][number], 'on' | 'cycle'> & { on?: IsoDate }) | null {
  switch (e.kind) {
    case 'task-opened': {
      const { taskId, taskType, officerId, dueDate } = e.detail;
      return { event: 'task-opened', taskId, taskType, officerId, outcome: null, dueDate, noteRecorded: false };
    }
    case 'outcome-recorded': {
      const { taskId, taskType, outcome, hasNote } = e.detail;
      return { event: 'outcome', taskId, taskType, officerId: e.actor, outcome, dueDate: null, noteRecorded: hasNote };
    }
    case 'contact-attempted': {
      // The attempt's channel and result, as `channel: result`; the person met and the note stay off the pack.
      const { taskId, taskType, channel, result, hasNote, on } = e.detail;
      return { event: 'attempt', taskId, taskType, officerId: e.actor, outcome: `${channel}: ${result}`, dueDate: null, noteRecorded: hasNote, on };
    }
    case 'task-timed-out': {
      const { taskId, taskType, officerId } = e.detail;
      return { event: 'timed-out', taskId, taskType, officerId, outcome: null, dueDate: null, noteRecorded: false };
    }
    case 'task-closed-by-payment': {
      const { taskId, taskType, officerId } = e.detail;
      return { event: 'closed-by-payment', taskId, taskType, officerId, outcome: 'paid', dueDate: null, noteRecorded: false };
    }
    case 'assessed': case 'referred-to-inspection': case 'paused': case 'notice-sent': case 'officer-assigned': case 'no-officer-available':
    case 'task-acknowledged': case 'task-reassigned': case 'referral-pack-built': case 'payment-recorded': case 'payment-reversed': case 'arrangement-agreed':
    case 'hold-set': case 'hold-cleared': case 'case-closed': case 'step-failed': case 'pre-disclosure-notice-sent':
    case 'pre-disclosure-lapsed': case 'disclosure-published':
      return null;
    default:
      return unhandledEvent(e);
  }
}

/** The holds' side of the history: each hold set (with its reason and end date) and lifted. */
function holdOf(e: CaseEvent): Omit<ReferralPack['holds']['history'][number], 'on' | 'by'> | null {
  switch (e.kind) {
    case 'hold-set': return { action: 'set', reason: e.detail.reason, until: e.detail.until };
    case 'hold-cleared': return { action: 'lifted', reason: null, until: null };
    case 'assessed': case 'referred-to-inspection': case 'paused': case 'notice-sent': case 'officer-assigned': case 'no-officer-available':
    case 'task-opened': case 'task-acknowledged': case 'task-reassigned': case 'outcome-recorded': case 'task-timed-out':
    case 'task-closed-by-payment': case 'referral-pack-built': case 'payment-recorded': case 'payment-reversed': case 'arrangement-agreed': case 'case-closed':
    case 'step-failed': case 'pre-disclosure-notice-sent': case 'pre-disclosure-lapsed': case 'disclosure-published': case 'contact-attempted':
      return null;
    default:
      return unhandledEvent(e);
  }
}
