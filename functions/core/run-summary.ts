import type { EscalationDecision } from './escalation.ts';
import type { LedgerStatus } from './ledger.ts';
import type { IsoDate } from './dates.ts';
import type { StageName } from './policy.ts';

/** Counters the monthly run keeps: a fixed size whatever the number of employers. */
export interface RunTally {
  unitsScanned: number;
  malformed: number;
  paidUp: number;
  delinquent: number;
  /** In arrears but on hold: no notice, no escalation this cycle. */
  onHold: number;
  /** In arrears, but keeping a promise to pay or a payment plan: escalation paused. */
  underArrangement: number;
  byStage: Record<StageName, number>;
  byMonthsOverdue: { '1': number; '2': number; '3-5': number; '6+': number };
  executionsStarted: number;
  executionsAlreadyStarted: number;
  casesClosed: number;
  receivable: number;
  arrears: number;
  interestOutstanding: number;
  credit: number;
}

export interface RunSummary extends RunTally {
  cycle: string;
  asOf: string;
  policyVersion: string;
  /** Arrears / receivable, in percent with two decimals. */
  debtRatioPercent: number;
  startedAt: string;
  finishedAt: string;
  malformedSamples: { key: string; reason: string }[];
}

export function newRunTally(): RunTally {
  return {
    unitsScanned: 0, malformed: 0, paidUp: 0, delinquent: 0, onHold: 0, underArrangement: 0,
    byStage: { 'urging-notice': 0, 'officer-visit': 0, inspection: 0 },
    byMonthsOverdue: { '1': 0, '2': 0, '3-5': 0, '6+': 0 },
    executionsStarted: 0, executionsAlreadyStarted: 0, casesClosed: 0,
    receivable: 0, arrears: 0, interestOutstanding: 0, credit: 0,
  };
}

/** Adds one employer. Receivable counts the periods that fell due on or after `receivableFrom`. */
export function tallyEmployer(tally: RunTally, status: LedgerStatus, decision: EscalationDecision, receivableFrom: IsoDate): void {
  tally.unitsScanned++;
  for (const p of status.periods) {
    if (p.dueDate < status.asOf && p.dueDate >= receivableFrom) tally.receivable += p.amountDue;
  }
  tally.arrears += status.overduePrincipal;
  tally.interestOutstanding += status.interestOutstanding;
  tally.credit += status.credit;
  if (decision.action === 'escalate') {
    tally.delinquent++;
    tally.byStage[decision.stage.stage]++;
    tally.byMonthsOverdue[monthsOverdueBucket(decision.monthsOverdue)]++;
  } else if (decision.action === 'hold') {
    tally.onHold++;
  } else if (decision.action === 'arrangement') {
    tally.underArrangement++;
  } else if (status.monthsOverdue === 0) {
    tally.paidUp++;
  }
}

/** Two tallies as one (the segments of a fanned-out run): every count added. */
export function addTallies(a: RunTally, b: RunTally): RunTally {
  const sum = <K extends string>(x: Record<K, number>, y: Record<K, number>) =>
    Object.fromEntries(Object.keys(x).map((k) => [k, x[k as K] + y[k as K]])) as Record<K, number>;
  return {
    unitsScanned: a.unitsScanned + b.unitsScanned, malformed: a.malformed + b.malformed, paidUp: a.paidUp + b.paidUp, delinquent: a.delinquent + b.delinquent,
    onHold: a.onHold + b.onHold, underArrangement: a.underArrangement + b.underArrangement,
    byStage: sum(a.byStage, b.byStage), byMonthsOverdue: sum(a.byMonthsOverdue, b.byMonthsOverdue),
    executionsStarted: a.executionsStarted + b.executionsStarted, executionsAlreadyStarted: a.executionsAlreadyStarted + b.executionsAlreadyStarted,
    casesClosed: a.casesClosed + b.casesClosed, receivable: a.receivable + b.receivable, arrears: a.arrears + b.arrears,
    interestOutstanding: a.interestOutstanding + b.interestOutstanding, credit: a.credit + b.credit,
  };
}

/** The counters of a tally alone (a summary carries more). */
export function tallyOf(s: RunTally): RunTally {
  return addTallies(newRunTally(), s);
}

export function finishTally(tally: RunTally, meta: Omit<RunSummary, keyof RunTally | 'debtRatioPercent'>): RunSummary {
  const debtRatioPercent = tally.receivable === 0 ? 0 : Math.round((tally.arrears * 10_000) / tally.receivable) / 100;
  return { ...tally, ...meta, debtRatioPercent };
}

export type MonthsOverdueBucket = '1' | '2' | '3-5' | '6+';

/** The bands the agency reports units in by months overdue (at least 1). */
export function monthsOverdueBucket(months: number): MonthsOverdueBucket {
  return months >= 6 ? '6+' : months >= 3 ? '3-5' : months === 2 ? '2' : '1';
}
