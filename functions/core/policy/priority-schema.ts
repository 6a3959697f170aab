import { z } from 'zod';

/**
 * The priority section of the policy (schema.ts): the points each fact about a unit in arrears
 * adds to its priority in the staff's worklist (functions/core/priority.ts). The office decides
 * what comes first, in points, here; the worklist shows each part with the points it adds, so a
 * priority is never a number no one can explain. Each factor gives 0 points when it does not
 * apply; every factor is non-decreasing in what it measures (tested in test/core/priority.test.ts).
 */

const points = z.number().int().min(0).max(100);

/** Bands on a figure: the highest band reached gives its points (listed from the highest threshold down). */
const bands = <T extends z.ZodTypeAny>(threshold: T) => z.array(z.object({ atLeast: threshold, points })).min(1);

export const prioritySchema = z.object({
  /** Debt of the day (late principal and interest), whole dong. */
  debt: bands(z.number().int().min(1)),
  /** Months overdue: so many points a month, up to a cap. */
  monthsOverdue: z.object({ pointsPerMonth: points, maxPoints: points }),
  /** Growth of the debt over the last `months` months, in percent of what it was then (from nothing counts as the top band). */
  growth: z.object({ months: z.number().int().min(1).max(12), bands: bands(z.number().int().min(1).max(10_000)) }),
  /** Promises to pay and payment plans broken (an instalment missed), each, up to a cap. */
  brokenArrangements: z.object({ pointsEach: points, maxPoints: points }),
  /**
   * The evasion threshold (policy `evasionAfterDays`): points once the oldest late period is past
   * it, and fewer while it is near (days left until it is crossed, highest points first).
   */
  evasion: z.object({
    evadingPoints: points,
    near: z.array(z.object({ withinDays: z.number().int().min(1).max(365), points })),
  }),
  /** Signs that a business is failing or its owner may abscond (seed 004: "escape of business owners"). */
  failing: z.object({
    /** No payment at all for this many months while in arrears: contributions stopped for every employee. */
    stoppedPaying: z.object({ months: z.number().int().min(1).max(24), points }),
    /** The latest period declares nothing due after periods that did: headcount fell to zero. */
    declaredZero: z.object({ points }),
    /** The latest period's amount due fell by at least `percent` from the highest of the `months` before it: headcount falling. */
    declaredFalling: z.object({ percent: z.number().int().min(1).max(99), months: z.number().int().min(1).max(24), points }),
  }),
  /** Findings of reconciliation with tax data still being checked: so many points per employee found unregistered, up to a cap. */
  findings: z.object({ pointsPerUnregisteredEmployee: points, maxPoints: points }),
});

export type PriorityPolicy = z.infer<typeof prioritySchema>;

/** Bands must fall strictly in threshold and not rise in points (so the highest band reached is the first one met). */
export function checkPriority(p: PriorityPolicy, ctx: z.RefinementCtx): void {
  const falling = (list: readonly { threshold: number; points: number }[], path: (string | number)[], what: string) => {
    list.forEach((b, i) => {
      const prev = list[i - 1];
      if (prev && (b.threshold >= prev.threshold || b.points > prev.points)) {
        ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what} bands go from the highest threshold down, with points that do not rise` });
      }
    });
  };
  falling(p.debt.map((b) => ({ threshold: b.atLeast, points: b.points })), ['priority', 'debt'], 'debt');
  falling(p.growth.bands.map((b) => ({ threshold: b.atLeast, points: b.points })), ['priority', 'growth', 'bands'], 'growth');
  // Nearer the threshold is worth more: days rise, points do not.
  falling(p.evasion.near.map((b) => ({ threshold: -b.withinDays, points: b.points })), ['priority', 'evasion', 'near'], 'evasion');
  if (p.evasion.near.some((b) => b.points > p.evasion.evadingPoints)) {
    ctx.addIssue({ code: 'custom', path: ['priority', 'evasion', 'evadingPoints'], message: 'evading is worth at least as much as being near the threshold' });
  }
}
