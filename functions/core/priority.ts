import { addMonthsToDate, periodIndex, type IsoDate } from './dates.ts';
import { ledgerStatus, type ContributionPeriod, type LedgerStatus, type Payment, type Vnd } from './ledger.ts';
import { arrangementStanding, type Arrangement } from './arrangement.ts';
import type { CaseEvent } from './case-events.ts';
import type { Policy } from './policy.ts';
import type { PriorityPolicy } from './policy/priority-schema.ts';

/**
 * A unit's priority in the staff's worklist: the sum of the points each fact about it earns under
 * the policy's `priority` section, kept as parts so the worklist can say why ("+30 nợ ≥ 200 triệu ₫,
 * +20 kế hoạch bị phá vỡ"). Two steps, both pure: `priorityFacts` reads the facts off the ledger and
 * the case history; `scorePriority` turns facts into points. Every factor is non-decreasing in
 * what it measures, and the parts always add up to the total (test/core/priority.test.ts).
 */

/** What the priority is made of, for one unit on one day. */
export interface PriorityFacts {
  /** Debt of the day: late principal and outstanding interest. */
  debt: Vnd;
  monthsOverdue: number;
  /** The debt `growth.months` months ago (the growth is measured against it). */
  debtBefore: Vnd;
  /** Promises and plans broken (an instalment missed), each counted once. */
  brokenArrangements: number;
  /** Days until the oldest late period passes the evasion threshold; 0 or less once past it; null when nothing is late. */
  daysToEvasion: number | null;
  /** No payment for `failing.stoppedPaying.months` months while in arrears. */
  stoppedPaying: boolean;
  /** The latest period declares nothing due, after periods that did. */
  declaredZero: boolean;
  /** The latest period's amount due fell by the policy's percent from the highest before it (but not to zero). */
  declaredFalling: boolean;
  /** Employees the tax data shows paid and not on the roster, in findings whose check is still open (core/tax-check.ts). */
  unregisteredFound: number;
}

export const PRIORITY_FACTORS = ['debt', 'months', 'growth', 'broken', 'evading', 'evasion-near', 'stopped-paying', 'declared-zero', 'declared-falling', 'unregistered-found'] as const;
export type PriorityFactor = (typeof PRIORITY_FACTORS)[number];

/** One part of a priority: the factor, its points and what it was measured against (to say it in words). */
export type PriorityPart =
  | { factor: 'debt'; points: number; atLeast: Vnd }
  | { factor: 'months'; points: number; months: number }
  | { factor: 'growth'; points: number; atLeastPercent: number; months: number }
  | { factor: 'broken'; points: number; count: number }
  | { factor: 'evading'; points: number }
  | { factor: 'evasion-near'; points: number; days: number }
  | { factor: 'stopped-paying'; points: number; months: number }
  | { factor: 'declared-zero'; points: number }
  | { factor: 'declared-falling'; points: number; percent: number }
  | { factor: 'unregistered-found'; points: number; count: number };

export interface Priority {
  total: number;
  /** The factors that earned points, largest first (ties in the policy's order). */
  parts: PriorityPart[];
}

/** The growth of the debt in percent of what it was; from nothing to something is unbounded. */
function growthPercent(debt: Vnd, before: Vnd): number {
  if (debt <= before) return 0;
  return before === 0 ? Number.POSITIVE_INFINITY : ((debt - before) * 100) / before;
}

/** Points from facts: each factor on its own, none below zero. */
export function scorePriority(facts: PriorityFacts, weights: PriorityPolicy): Priority {
  const parts: PriorityPart[] = [];
  const add = (part: PriorityPart) => { if (part.points > 0) parts.push(part); };

  const debtBand = weights.debt.find((b) => facts.debt >= b.atLeast);
  if (debtBand) add({ factor: 'debt', points: debtBand.points, atLeast: debtBand.atLeast });
  add({ factor: 'months', points: Math.min(weights.monthsOverdue.maxPoints, facts.monthsOverdue * weights.monthsOverdue.pointsPerMonth), months: facts.monthsOverdue });
  const growth = growthPercent(facts.debt, facts.debtBefore);
  const growthBand = weights.growth.bands.find((b) => growth >= b.atLeast);
  if (growthBand) add({ factor: 'growth', points: growthBand.points, atLeastPercent: growthBand.atLeast, months: weights.growth.months });
  add({ factor: 'broken', points: Math.min(weights.brokenArrangements.maxPoints, facts.brokenArrangements * weights.brokenArrangements.pointsEach), count: facts.brokenArrangements });
  if (facts.daysToEvasion !== null) {
    const days = facts.daysToEvasion;
    if (days <= 0) add({ factor: 'evading', points: weights.evasion.evadingPoints });
    else {
      const near = weights.evasion.near.find((b) => days <= b.withinDays);
      if (near) add({ factor: 'evasion-near', points: near.points, days });
    }
  }
  const failing = weights.failing;
  if (facts.stoppedPaying) add({ factor: 'stopped-paying', points: failing.stoppedPaying.points, months: failing.stoppedPaying.months });
  if (facts.declaredZero) add({ factor: 'declared-zero', points: failing.declaredZero.points });
  else if (facts.declaredFalling) add({ factor: 'declared-falling', points: failing.declaredFalling.points, percent: failing.declaredFalling.percent });
  const found = Math.max(0, facts.unregisteredFound);
  add({ factor: 'unregistered-found', points: Math.min(weights.findings.maxPoints, found * weights.findings.pointsPerUnregisteredEmployee), count: found });

  const order = (f: PriorityFactor) => PRIORITY_FACTORS.indexOf(f);
  parts.sort((a, b) => b.points - a.points || order(a.factor) - order(b.factor));
  return { total: parts.reduce((sum, p) => sum + p.points, 0), parts };
}

/** What the facts are read from: a unit's ledger (as the store gives it) and its case history. */
export interface PriorityInput {
  periods: readonly ContributionPeriod[];
  payments: readonly Payment[];
  arrangement?: Arrangement | undefined;
  history: readonly CaseEvent[];
  /** The ledger's status on `today`, when the caller has it already. */
  status?: LedgerStatus | undefined;
}

/**
 * Promises and plans broken, each once: a miss is told on every later assessment and notice, and
 * a plan may miss one instalment and then the next; all of them are the one arrangement's. A miss
 * belongs to the arrangement of its kind whose instalments span its date (from the history's
 * `arrangement-agreed` events and the arrangement in force); one whose agreement is not on the
 * history counts by its own date.
 */
function brokenArrangements(input: PriorityInput, today: IsoDate, policy: Policy): number {
  const agreed: { kind: string; agreedOn: string; firstDue: string; lastDue: string }[] = [];
  for (const e of input.history) if (e.kind === 'arrangement-agreed') agreed.push({ kind: e.detail.arrangement, agreedOn: e.detail.agreedOn, firstDue: e.detail.firstDue, lastDue: e.detail.lastDue });
  const current = input.arrangement;
  if (current && current.instalments.length > 0) {
    agreed.push({ kind: current.kind, agreedOn: current.agreedOn, firstDue: current.instalments[0]!.dueDate, lastDue: current.instalments.at(-1)!.dueDate });
  }
  agreed.sort((a, b) => (a.agreedOn < b.agreedOn ? -1 : a.agreedOn > b.agreedOn ? 1 : 0));
  const arrangementOf = (m: { kind: string; dueDate: string }) => {
    const a = agreed.filter((x) => x.kind === m.kind && x.firstDue <= m.dueDate && m.dueDate <= x.lastDue).at(-1);
    return a ? `${a.kind}#${a.agreedOn}` : `${m.kind}#due#${m.dueDate}`;
  };
  const broken = new Set<string>();
  for (const e of input.history) {
    if ((e.kind === 'assessed' || e.kind === 'referred-to-inspection' || e.kind === 'notice-sent') && e.detail.missedInstalment) broken.add(arrangementOf(e.detail.missedInstalment));
  }
  if (current && arrangementStanding(current, input.payments, today, policy).state === 'missed') broken.add(`${current.kind}#${current.agreedOn}`);
  return broken.size;
}

/**
 * The findings of reconciliation whose check is still open, from the case history: a check's
 * `task-opened` event carries its finding (without personal data); its outcome, a time-out or a
 * payment that closed it ends it.
 */
export function openFindings(history: readonly CaseEvent[]): (NonNullable<Extract<CaseEvent, { kind: 'task-opened' }>['detail']['finding']> & { taskId: string })[] {
  const ended = new Set<string>();
  for (const e of history) {
    if (e.kind === 'outcome-recorded' || e.kind === 'task-timed-out' || e.kind === 'task-closed-by-payment') ended.add(e.detail.taskId);
  }
  const open = new Map<string, NonNullable<Extract<CaseEvent, { kind: 'task-opened' }>['detail']['finding']> & { taskId: string }>();
  for (const e of history) {
    if (e.kind === 'task-opened' && e.detail.finding && !ended.has(e.detail.taskId)) open.set(e.detail.taskId, { ...e.detail.finding, taskId: e.detail.taskId });
  }
  return [...open.values()];
}

/** The facts of one unit on `today` under `policy`. */
export function priorityFacts(input: PriorityInput, today: IsoDate, policy: Policy): PriorityFacts {
  const weights = policy.priority;
  const status = input.status ?? ledgerStatus(input.periods, input.payments, today, policy);
  const before = ledgerStatus(input.periods, input.payments, addMonthsToDate(today, -weights.growth.months), policy);
  const late = status.periods.filter((p) => p.overdue && p.balance > 0);
  const oldestDaysLate = late.reduce((max, p) => Math.max(max, p.daysLate), 0);
  // Evasion from the day after `evasionAfterDays` (Decree 274/2025: from the 61st day).
  const daysToEvasion = late.length === 0 ? null : policy.evasionAfterDays + 1 - oldestDaysLate;

  const stoppedSince = addMonthsToDate(today, -weights.failing.stoppedPaying.months);
  const stoppedPaying = status.overduePrincipal > 0 && !input.payments.some((p) => p.paidOn > stoppedSince && p.paidOn <= today);

  // Declarations: the periods up to today's month, newest last.
  const declared = [...input.periods].filter((p) => p.period <= today.slice(0, 7)).sort((a, b) => (a.period < b.period ? -1 : 1));
  const latest = declared.at(-1);
  const earlier = latest
    ? declared.filter((p) => p !== latest && periodIndex(latest.period) - periodIndex(p.period) <= weights.failing.declaredFalling.months)
    : [];
  const highest = earlier.reduce((max, p) => Math.max(max, p.amountDue), 0);
  const declaredZero = latest !== undefined && latest.amountDue === 0 && declared.some((p) => p.amountDue > 0);
  const declaredFalling = latest !== undefined && latest.amountDue > 0 && highest > 0
    && latest.amountDue * 100 <= highest * (100 - weights.failing.declaredFalling.percent);

  return {
    unregisteredFound: openFindings(input.history).reduce((n, f) => n + f.unregisteredEmployees, 0),
    debt: status.debt,
    monthsOverdue: status.monthsOverdue,
    debtBefore: before.debt,
    brokenArrangements: brokenArrangements(input, today, policy),
    daysToEvasion,
    stoppedPaying,
    declaredZero,
    declaredFalling,
  };
}

/** The priority of one unit on `today`. */
export function priorityOf(input: PriorityInput, today: IsoDate, policy: Policy): Priority {
  return scorePriority(priorityFacts(input, today, policy), policy.priority);
}

/** 200000000 → "200 triệu ₫" / "200 M ₫"; 1500000000 → "1,5 tỷ ₫" / "1.5 bn ₫". */
export function compactVnd(amount: Vnd, locale: 'vi' | 'en'): string {
  const [unit, vi, en] = amount >= 1e9 ? [1e9, 'tỷ', 'bn'] : amount >= 1e6 ? [1e6, 'triệu', 'M'] : [1, '', ''];
  const n = Math.floor((amount / unit) * 10) / 10;
  const text = locale === 'vi' ? String(n).replace('.', ',') : String(n);
  return unit === 1 ? `${amount.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-US')} ₫` : `${text} ${locale === 'vi' ? vi : en} ₫`;
}

/** A part in words, with its points first: "+30 nợ ≥ 200 triệu ₫". */
export function describePart(part: PriorityPart, locale: 'vi' | 'en'): string {
  const vi = locale === 'vi';
  const what = (() => {
    switch (part.factor) {
      case 'debt': return vi ? `nợ ≥ ${compactVnd(part.atLeast, 'vi')}` : `debt ≥ ${compactVnd(part.atLeast, 'en')}`;
      case 'months': return vi ? `chậm đóng ${part.months} tháng` : `${part.months} ${part.months === 1 ? 'month' : 'months'} overdue`;
      case 'growth': return vi ? `nợ tăng ≥ ${part.atLeastPercent}% trong ${part.months} tháng` : `debt up ≥ ${part.atLeastPercent}% in ${part.months} months`;
      case 'broken': return vi ? `${part.count} kế hoạch hoặc lời hứa trả bị phá vỡ` : `${part.count} broken ${part.count === 1 ? 'promise or plan' : 'promises or plans'}`;
      case 'evading': return vi ? 'đã quá ngưỡng trốn đóng' : 'past the evasion threshold';
      case 'evasion-near': return vi ? `còn ${part.days} ngày đến ngưỡng trốn đóng` : `${part.days} ${part.days === 1 ? 'day' : 'days'} to the evasion threshold`;
      case 'stopped-paying': return vi ? `không nộp đồng nào trong ${part.months} tháng` : `nothing paid in ${part.months} months`;
      case 'declared-zero': return vi ? 'số phải đóng giảm về 0 (không còn lao động)' : 'amount due fell to zero (no employees left)';
      case 'declared-falling': return vi ? `số phải đóng giảm ≥ ${part.percent}% (lao động giảm)` : `amount due down ≥ ${part.percent}% (headcount falling)`;
      case 'unregistered-found': return vi ? `${part.count} lao động chưa đăng ký (dữ liệu thuế)` : `${part.count} unregistered ${part.count === 1 ? 'employee' : 'employees'} found (tax data)`;
      default: return ((p: never) => p)(part);
    }
  })();
  return `+${part.points} ${what}`;
}

/** The whole priority in words: "+30 nợ ≥ 200 triệu ₫, +20 ...". */
export function describePriority(priority: Priority, locale: 'vi' | 'en'): string {
  return priority.parts.map((p) => describePart(p, locale)).join(', ');
}
