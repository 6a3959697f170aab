import { addDays, addMonthsToDate, type IsoDate } from './dates.ts';
import type { Payment } from './ledger.ts';
import type { Policy } from './policy.ts';

/**
 * Promises to pay and payment plans agreed with an officer. While an arrangement is kept,
 * escalation pauses; when an instalment is missed (unpaid past its date plus the policy's
 * grace), escalation resumes with a notice that says so.
 */

export const ARRANGEMENT_KINDS = ['promise', 'plan'] as const;
export type ArrangementKind = (typeof ARRANGEMENT_KINDS)[number];

export interface Instalment {
  dueDate: IsoDate;
  amount: number;
}

export interface Arrangement {
  kind: ArrangementKind;
  /** The day it was agreed: payments from this day on count towards it. */
  agreedOn: IsoDate;
  /** A promise has one instalment; a plan several, in date order. */
  instalments: Instalment[];
}

export type ArrangementStanding =
  | { state: 'kept'; kind: ArrangementKind; nextDueDate: IsoDate; paid: number; total: number }
  | { state: 'missed'; kind: ArrangementKind; instalment: number; dueDate: IsoDate; dueSoFar: number; paid: number }
  | { state: 'completed'; kind: ArrangementKind; paid: number; total: number };

/**
 * Where an arrangement stands on a day. Payments made since the agreement count cumulatively:
 * instalment n is covered when they reach the sum of instalments 1..n, so paying early or in
 * several transfers counts the same as paying each instalment on its date.
 */
export function arrangementStanding(arrangement: Arrangement, payments: readonly Payment[], today: IsoDate, policy: Policy): ArrangementStanding {
  const paid = payments.filter((p) => p.paidOn >= arrangement.agreedOn && p.paidOn <= today).reduce((sum, p) => sum + p.amount, 0);
  const total = arrangement.instalments.reduce((sum, i) => sum + i.amount, 0);
  let dueSoFar = 0;
  for (const [index, instalment] of arrangement.instalments.entries()) {
    dueSoFar += instalment.amount;
    if (paid >= dueSoFar) continue;
    if (today > addDays(instalment.dueDate, policy.arrangements.graceDays)) {
      return { state: 'missed', kind: arrangement.kind, instalment: index + 1, dueDate: instalment.dueDate, dueSoFar, paid };
    }
    return { state: 'kept', kind: arrangement.kind, nextDueDate: instalment.dueDate, paid, total };
  }
  return { state: 'completed', kind: arrangement.kind, paid, total };
}

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * Why an arrangement cannot be agreed on `today` for a unit owing `debt`, field by field (empty
 * when it can): the policy bounds how far a promise or plan may run and how many instalments a
 * plan has, dates rise strictly from today, and together the instalments clear today's debt.
 */
export function arrangementProblems(arrangement: Arrangement, today: IsoDate, debt: number, policy: Policy): FieldProblem[] {
  const rules = policy.arrangements;
  const problems: FieldProblem[] = [];
  const { instalments, kind } = arrangement;
  if (kind === 'promise' && instalments.length !== 1) problems.push({ field: 'instalments', reason: 'a promise to pay has exactly one date and amount' });
  if (kind === 'plan' && (instalments.length < 2 || instalments.length > rules.planMaxInstalments)) {
    problems.push({ field: 'instalments', reason: `a payment plan has 2 to ${rules.planMaxInstalments} instalments` });
  }
  const latest = kind === 'promise' ? addDays(today, rules.promiseMaxDays) : addMonthsToDate(today, rules.planMaxMonths);
  instalments.forEach((instalment, i) => {
    const previous = instalments[i - 1];
    if (instalment.amount <= 0 || !Number.isInteger(instalment.amount)) problems.push({ field: `instalments.${i}.amount`, reason: 'must be a positive whole number of dong' });
    if (instalment.dueDate < today) problems.push({ field: `instalments.${i}.dueDate`, reason: 'must not be before today' });
    else if (previous && instalment.dueDate <= previous.dueDate) problems.push({ field: `instalments.${i}.dueDate`, reason: 'must be after the previous instalment' });
    if (instalment.dueDate > latest) problems.push({ field: `instalments.${i}.dueDate`, reason: `must be on or before ${latest} (policy limit for a ${kind})` });
  });
  const total = instalments.reduce((sum, i) => sum + i.amount, 0);
  if (instalments.length > 0 && total < debt) problems.push({ field: 'instalments', reason: `together must cover the debt of ${debt} dong as of ${today}` });
  return problems;
}
