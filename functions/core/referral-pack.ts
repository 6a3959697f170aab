import type { ClaimStatus } from './claim-rule.ts';
import { ledgerStatus, type Allocation, type ContributionPeriod, type Payment, type Vnd } from './ledger.ts';
import { endOfLocalDay, localDate, type IsoDate, type Period } from './dates.ts';
import type { HoldReason, Policy, StageName, TaskType } from './policy.ts';
import { inForceOn } from './effective-date.ts';

/**
 * The referral pack an inspector takes to a unit at the inspection stage: who the unit is, what it
 * owes period by period with interest, what it paid and where each payment went, the urging
 * notices sent (with the hash of their content), the officers' contacts and their outcomes, and
 * the holds. Built from plain data, as of a date: everything recorded after the end of that day is
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

export interface ReferralEvent {
  at: string;
  cycle: Period;
  kind: string;
  actor: string;
  detail: Readonly<Record<string, string | number | boolean | null>>;
}

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

export type ContactEvent = 'task-opened' | 'outcome' | 'timed-out' | 'closed-by-payment';

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
    taskType: TaskType | null;
    officerId: string;
    outcome: string | null;
    dueDate: IsoDate | null;
    noteRecorded: boolean;
  }[];
  holds: {
    current: { reason: HoldReason; until: IsoDate; inForce: boolean } | null;
    history: { on: IsoDate; action: 'set' | 'lifted'; reason: string | null; until: IsoDate | null; by: string }[];
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Builds the pack as of `input.asOf` under `policy` (the one in force that day). Pure. */
export function buildReferralPack(input: ReferralPackInput, policy: Policy): ReferralPack {
  const { asOf } = input;
  const zone = policy.timeZone;
  const cutoff = endOfLocalDay(asOf, zone).toISOString();
  const dayOf = (instant: string) => localDate(new Date(instant), zone);
  // Recorded by the end of the as-of day: ISO instants in UTC compare as text.
  const events = input.events.filter((e) => e.at < cutoff).sort((a, b) => byText(a.at, b.at) || byText(a.kind, b.kind));

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
        if (e.kind.startsWith('hold-set-')) {
          return [{ on: dayOf(e.at), action: 'set' as const, reason: text(e.detail.reason), until: text(e.detail.until), by: e.actor }];
        }
        if (e.kind.startsWith('hold-cleared-')) return [{ on: dayOf(e.at), action: 'lifted' as const, reason: null, until: null, by: e.actor }];
        return [];
      }),
    },
  };
}

/** The daily rate in force on a date (the last rate that took effect by then). */
function rateOn(date: IsoDate, policy: Policy): number {
  return inForceOn(policy.interest.rates, date).dailyRatePpm;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A task's type from its id (`<unit>-<cycle>-<type>[-escalated]`). */
function taskTypeOf(taskId: string): TaskType | null {
  const m = /-(visit|inspection)(-escalated)?$/.exec(taskId);
  return m ? (m[1] as TaskType) : null;
}

/** The officers' side of the history: tasks opened, answered, run out, or closed by a payment. */
function contactOf(e: ReferralEvent): Omit<ReferralPack['contacts'][number], 'on' | 'cycle'> | null {
  const taskId = text(e.detail.taskId);
  if (!taskId) return null;
  const base = { taskId, taskType: taskTypeOf(taskId), outcome: null, dueDate: null, noteRecorded: false };
  if (e.kind.startsWith('task-opened-')) {
    return { ...base, event: 'task-opened', officerId: text(e.detail.officerId) ?? e.actor, dueDate: text(e.detail.dueDate) };
  }
  if (e.kind.startsWith('outcome-')) {
    return { ...base, event: 'outcome', officerId: e.actor, outcome: text(e.detail.outcome), noteRecorded: e.detail.hasNote === true };
  }
  if (e.kind.startsWith('task-timed-out-')) return { ...base, event: 'timed-out', officerId: text(e.detail.officerId) ?? e.actor };
  if (e.kind.startsWith('task-closed-by-payment-')) {
    return { ...base, event: 'closed-by-payment', officerId: text(e.detail.officerId) ?? e.actor, outcome: 'paid' };
  }
  return null;
}
