import { z } from 'zod';
import { isoDateSchema } from '../date-schemas.ts';
import { outOfOrder } from '../effective-date.ts';

/**
 * The reconciliation section of the policy (schema.ts): what is owed on a wage, and the tests
 * reconciliation with tax-authority data applies (functions/core/reconciliation.ts). Rates are in
 * basis points (1/10,000) of the contribution wage, so 17.5% is 1750 and no rate is a float; a
 * month's amount of each insurance type is floored to the dong (`rounding`).
 */

const bps = z.number().int().min(0).max(10_000);

const ratesSchema = z.object({
  effectiveFrom: isoDateSchema,
  /** The employer's part by insurance type; SI split into its funds as the law states them. */
  employer: z.object({ siRetirement: bps, siSickness: bps, siAccident: bps, hi: bps, ui: bps }),
  /** The employee's part (withheld from the wage by the employer, who pays it over). */
  employee: z.object({ siRetirement: bps, hi: bps, ui: bps }),
  /** The contribution wage is capped at this many times the reference level (base salary). */
  wageCapMultiple: z.number().int().min(1).max(100),
  /** The reference level: also the lowest wage a part-time employee is covered on. */
  referenceWage: z.number().int().min(1),
  source: z.string().min(1),
});

export const reconciliationSchema = z.object({
  rates: z.array(ratesSchema).min(1),
  rounding: z.literal('floor-per-type-per-month'),
  /** The compulsory-coverage test on one employee's annual tax record. */
  coverage: z.object({
    /** Months paid by one payer in the year: a contract of at least this many months is covered. */
    minMonthsPaid: z.number().int().min(1).max(12),
    /** Average monthly taxable income at or above the reference level times this percent (part-timers under it are not covered). */
    minWagePercentOfReference: z.number().int().min(0).max(1000),
  }),
  /** A wage fund or wage above the declared one by more than this percent is under-declared. */
  underDeclaredPercent: z.number().int().min(0).max(100),
  /** The employer registers a new employee within this many days of the contract (Law 41/2024 Art. 28). */
  registrationDays: z.number().int().min(1).max(90),
  /** An unregistered employee counts as evasion from the day after this many days past the registration deadline. */
  unregisteredEvasionAfterDays: z.number().int().min(1).max(365),
  /** An under-declared wage counts as evasion after the last day of the month this many months after the month declared. */
  underDeclaredEvasionMonthsAfter: z.number().int().min(0).max(12),
  /**
   * The follow-up (functions/core/tax-check.ts): each finding opens a tax-data check for the unit's
   * officer (an organisation with no SI unit: the district's team lead), once a quarter.
   */
  followUp: z.object({
    /** The quarterly run: on this day and hour (office time) of this month of each quarter (1 its first). */
    run: z.object({ monthOfQuarter: z.number().int().min(1).max(3), dayOfMonth: z.number().int().min(1).max(28), hour: z.number().int().min(0).max(23) }),
    /** Calendar days the officer has to record the check's outcome. */
    dueDays: z.number().int().min(1).max(90),
    /** What an officer may give as the explanation of a finding ("explained"): a code each, in words. */
    explanationReasons: z.array(z.object({
      code: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
      vi: z.string().min(1),
      en: z.string().min(1),
    })).min(1),
  }),
  source: z.string().min(1),
});

export type ReconciliationPolicy = z.infer<typeof reconciliationSchema>;
export type ContributionRates = z.infer<typeof ratesSchema>;

export function checkReconciliation(p: ReconciliationPolicy, ctx: z.RefinementCtx): void {
  const codes = p.followUp.explanationReasons.map((r) => r.code);
  codes.forEach((c, i) => {
    if (codes.indexOf(c) !== i) ctx.addIssue({ code: 'custom', path: ['reconciliation', 'followUp', 'explanationReasons', i, 'code'], message: 'reason codes must be unique' });
  });
  for (const i of outOfOrder(p.rates)) {
    ctx.addIssue({ code: 'custom', path: ['reconciliation', 'rates', i], message: 'rates must be in increasing effective date order' });
  }
}
