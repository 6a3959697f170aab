import { addMonths, addDays, lastDayOfPeriod, type IsoDate, type Period } from './dates.ts';
import { inForceOn } from './effective-date.ts';
import type { HiRates, RemindersPolicy, SupportGroup, VsiRates } from './reminder-policy.ts';

/**
 * What a voluntary SI participant or a household pays next, and until when they are covered.
 * Pure; whole dong, each month's premium rounded to the dong once.
 *
 * - VSI: 22% of the chosen income a month, less the State support: a share (by support group) of
 *   the premium on the rural poverty line, for at most 120 months in all. The rates are those in
 *   force on the first day the payment covers.
 * - Household HI: 4.5% of the base salary a month for the 1st member, 70/60/50/40% of that for the
 *   2nd, 3rd, 4th and each later member.
 */

export const VSI_METHODS = ['monthly', 'quarterly', 'half-yearly', 'yearly', 'years-ahead'] as const;
export type VsiMethod = (typeof VSI_METHODS)[number];
export const HI_METHODS = ['quarterly', 'half-yearly', 'yearly'] as const;
export type HiMethod = (typeof HI_METHODS)[number];

/** The rates in force on a date (the earliest version for dates before it): the effective-date lookup, by this module's name. */
export const ratesOn = inForceOn;

export function vsiMonths(method: VsiMethod, yearsAhead: number | undefined, policy: RemindersPolicy): number {
  if (method === 'years-ahead') return 12 * Math.min(Math.max(yearsAhead ?? 1, 1), policy.vsi.maxYearsAhead);
  return policy.vsi.methodMonths[method];
}

/** The last day covered by contributions paid through a period (the paid-through end). */
export function coveredUntilOf(paidThrough: Period): IsoDate {
  return lastDayOfPeriod(paidThrough);
}

/** The premium per month: its share of the chosen income, the support, and what is paid. */
export function vsiMonthlyPremium(chosenIncome: number, group: SupportGroup, rates: VsiRates): { gross: number; support: number; net: number } {
  const gross = Math.round((chosenIncome * rates.premiumPermille) / 1000);
  const support = Math.round((rates.povertyLine * rates.premiumPermille * (rates.supportPercent[group] ?? 0)) / 100_000);
  return { gross, support: Math.min(support, gross), net: gross - Math.min(support, gross) };
}

/** Why a chosen income is not allowed on a date (below the poverty line, above 20 base salaries), or undefined. */
export function incomeProblem(chosenIncome: number, date: IsoDate, policy: RemindersPolicy): string | undefined {
  const rates = ratesOn(policy.vsi.rates, date);
  if (chosenIncome < rates.povertyLine) return `must be at least the rural poverty line (${rates.povertyLine} dong)`;
  const max = rates.maxIncomeBaseSalaries * rates.baseSalary;
  if (chosenIncome > max) return `must be at most ${rates.maxIncomeBaseSalaries} times the base salary (${max} dong)`;
  return undefined;
}

export interface VsiParticipantTerms {
  paidThrough: Period;
  method: VsiMethod;
  yearsAhead?: number | undefined;
  chosenIncome: number;
  supportGroup: SupportGroup;
  /** Months of State support already received (support stops at the policy's maximum). */
  supportMonthsUsed: number;
}

export interface PaymentDue {
  /** The last day covered now: pay by then so that cover does not lapse. */
  coveredUntil: IsoDate;
  /** The months the next payment covers. */
  months: number;
  from: Period;
  to: Period;
  amount: number;
  /** The State support deducted from it. */
  support: number;
}

/** The next VSI payment: the months after the paid-through period, at the rates in force when they start. */
export function vsiPaymentDue(p: VsiParticipantTerms, policy: RemindersPolicy): PaymentDue {
  const months = vsiMonths(p.method, p.yearsAhead, policy);
  const from = addMonths(p.paidThrough, 1);
  const rates = ratesOn(policy.vsi.rates, `${from}-01`);
  const premium = vsiMonthlyPremium(p.chosenIncome, p.supportGroup, rates);
  const supportedMonths = Math.max(0, Math.min(months, rates.supportMaxMonths - p.supportMonthsUsed));
  const support = premium.support * supportedMonths;
  return { coveredUntil: coveredUntilOf(p.paidThrough), months, from, to: addMonths(p.paidThrough, months), amount: premium.gross * months - support, support };
}

/** The monthly HI premium of each member in order (1st, 2nd, ...). */
export function hiMemberPremiums(members: number, rates: HiRates): number[] {
  const first = (rates.baseSalary * rates.premiumPermille) / 1000;
  return Array.from({ length: members }, (_, i) => {
    const percent = rates.memberPercents[Math.min(i, rates.memberPercents.length - 1)]!;
    return Math.round((first * percent) / 100);
  });
}

/** The next household HI payment: every member whose card is renewed, for the method's months from the day after the earliest expiry. */
export function hiPaymentDue(cardExpiries: readonly IsoDate[], method: HiMethod, policy: RemindersPolicy): PaymentDue {
  if (cardExpiries.length === 0) throw new Error('A household with no card has nothing to renew');
  const coveredUntil = [...cardExpiries].sort()[0]!;
  const start = addDays(coveredUntil, 1);
  const months = policy.hi.methodMonths[method];
  const rates = ratesOn(policy.hi.rates, start);
  const perMonth = hiMemberPremiums(cardExpiries.length, rates).reduce((a, b) => a + b, 0);
  return { coveredUntil, months, from: start.slice(0, 7), to: addMonths(start.slice(0, 7), months - 1), amount: perMonth * months, support: 0 };
}
