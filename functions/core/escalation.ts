import { ledgerStatus, type ContributionPeriod, type LedgerStatus, type Payment } from './ledger.ts';
import type { HoldReason, Policy, Stage, StageName } from './policy.ts';
import { addDays, type IsoDate, type Period } from './dates.ts';
import { arrangementStanding, type Arrangement, type ArrangementKind, type ArrangementStanding } from './arrangement.ts';

/** A pause of follow-up for one employer, until (and including) a date. */
export interface Hold {
  reason: HoldReason;
  until: IsoDate;
}

/** What the escalation should do for one employer in one cycle. */
export type EscalationDecision =
  | { action: 'none'; reason: 'no-arrears' }
  | { action: 'close'; reason: 'debt-cleared' }
  | { action: 'hold'; reason: HoldReason; until: IsoDate; monthsOverdue: number; debt: number }
  | { action: 'arrangement'; kind: ArrangementKind; nextDueDate: IsoDate; monthsOverdue: number; debt: number }
  | {
    action: 'escalate'; stage: Stage; anchorPeriod: Period; monthsOverdue: number; debt: number;
    /** Escalation resumes because the unit missed an instalment of a promise or plan. */
    missed?: { kind: ArrangementKind; instalment: number; dueDate: IsoDate };
  };

/** Whether follow-up is paused (a hold, or a promise or plan being kept). */
export function isPaused(decision: EscalationDecision): decision is Extract<EscalationDecision, { action: 'hold' | 'arrangement' }> {
  return decision.action === 'hold' || decision.action === 'arrangement';
}

/** The highest stage whose threshold the months overdue reach, or null below the first. */
export function stageFor(monthsOverdue: number, policy: Policy): Stage | null {
  let reached: Stage | null = null;
  for (const stage of policy.stages) if (monthsOverdue >= stage.minMonthsOverdue) reached = stage;
  return reached;
}

/**
 * Decides an employer's escalation as of a date. `hasOpenCase` tells whether an escalation is
 * under way, so that a cleared debt closes it rather than being ignored. `arrangement` is where
 * the unit's promise or plan stands that day (see arrangementStanding).
 */
export function decideEscalation(status: LedgerStatus, hasOpenCase: boolean, policy: Policy, hold?: Hold, arrangement?: ArrangementStanding): EscalationDecision {
  const stage = stageFor(status.monthsOverdue, policy);
  // A hold pauses notices and escalation through its end date; after it, follow-up resumes by itself.
  if (stage && hold && status.asOf <= hold.until) {
    return { action: 'hold', reason: hold.reason, until: hold.until, monthsOverdue: status.monthsOverdue, debt: status.debt };
  }
  // A promise or plan being kept pauses escalation; once one is missed, escalation resumes.
  if (stage && arrangement?.state === 'kept') {
    return { action: 'arrangement', kind: arrangement.kind, nextDueDate: arrangement.nextDueDate, monthsOverdue: status.monthsOverdue, debt: status.debt };
  }
  if (stage && status.oldestUnpaidPeriod) {
    const missed = arrangement?.state === 'missed' ? { kind: arrangement.kind, instalment: arrangement.instalment, dueDate: arrangement.dueDate } : undefined;
    return { action: 'escalate', stage, anchorPeriod: status.oldestUnpaidPeriod, monthsOverdue: status.monthsOverdue, debt: status.debt, ...(missed && { missed }) };
  }
  return hasOpenCase ? { action: 'close', reason: 'debt-cleared' } : { action: 'none', reason: 'no-arrears' };
}

/** Where an escalating unit stands in its cycle, beside what the ledger decides today. */
export interface CycleContext {
  /** `start`: the cycle's first assessment; `after-outcome`: an officer's outcome was just recorded. */
  phase: 'start' | 'after-outcome';
  /** The stage the open case was given earlier in this same cycle (none in a new cycle). */
  stageBefore?: StageName | null | undefined;
  /** The stage a referral (to inspection) opens now, when the outcome was one and its task is not yet open. */
  referral?: Stage | undefined;
}

const higher = (a: Stage, b: Stage) => (b.minMonthsOverdue > a.minMonthsOverdue ? b : a);

/**
 * The stage of an escalating unit after an assessment: the ledger's (or a referral's), and within
 * a cycle an outcome never lowers the stage (the unit referred for inspection stays there, even
 * after a part payment). A new cycle starts from the ledger again.
 */
export function stageInCycle(decided: Stage, policy: Policy, context: CycleContext): Stage {
  const stage = context.referral ?? decided;
  if (context.phase !== 'after-outcome' || !context.stageBefore) return stage;
  const before = policy.stages.find((s) => s.stage === context.stageBefore);
  return before ? higher(stage, before) : stage;
}

/** The stage after this one, for telling the employer what follows non-payment. */
export function nextStage(stage: Stage, policy: Policy): Stage | null {
  const i = policy.stages.findIndex((s) => s.stage === stage.stage);
  return policy.stages[i + 1] ?? null;
}

/** The date by which a notice sent on `sentOn` asks the employer to pay. */
export function payByDate(sentOn: IsoDate, policy: Policy): IsoDate {
  return addDays(sentOn, policy.notice.responseDays);
}

/** A cycle is named by the month of its run: the run on 2026-11-02 is cycle 2026-11. */
export function cycleOf(runDate: IsoDate): Period {
  return runDate.slice(0, 7);
}

/** Why a requested hold is not allowed, or null when it is. */
export function holdProblem(hold: Hold, setOn: IsoDate, policy: Policy): string | null {
  if (hold.until < setOn) return 'until must not be before today';
  const longest = addDays(setOn, policy.holds.maxDays[hold.reason]);
  if (hold.until > longest) return `a ${hold.reason} hold may last at most ${policy.holds.maxDays[hold.reason]} days (until ${longest})`;
  return null;
}

/** What decisions read of an employer: the ledger, a hold and an arrangement (no personal data). */
export interface LedgerFacts {
  periods: ContributionPeriod[];
  payments: Payment[];
  hold?: Hold | undefined;
  arrangement?: Arrangement | undefined;
}

/** The ledger's status on a day and the escalation decision that follows from it. */
export function assessLedger(facts: LedgerFacts, today: IsoDate, policy: Policy, hasOpenCase: boolean): { status: LedgerStatus; decision: EscalationDecision } {
  const status = ledgerStatus(facts.periods, facts.payments, today, policy);
  const standing = facts.arrangement ? arrangementStanding(facts.arrangement, facts.payments, today, policy) : undefined;
  return { status, decision: decideEscalation(status, hasOpenCase, policy, facts.hold, standing) };
}
