import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CollectionReportBuilder, TREND_CYCLES, trendDates, type ReportUnit } from '../../functions/core/collection-report.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { newRunTally, tallyEmployer, finishTally } from '../../functions/core/run-summary.ts';
import { decideEscalation } from '../../functions/core/escalation.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { addMonthsToDate } from '../../functions/core/dates.ts';
import { tallyRenewals, type CycleFact } from '../../functions/core/renewal-report.ts';
import { collectionReportMetrics } from '../../functions/core/metric-points.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const AS_OF = '2026-11-02';

/** A unit with 12 monthly periods to 2026-10 of `amount`, the last `behind` unpaid. */
function unit(unitCode: string, commune: string, behind: number, amount = 10_000_000, district = 'Tam Điệp'): ReportUnit {
  const periods = Array.from({ length: 12 }, (_, i) => addMonths('2025-11', i)).map((period) => ({ period, amountDue: amount, dueDate: deadlineOf(period, policy) }));
  const payments = periods.slice(0, 12 - behind).map((p) => ({ reference: `R-${unitCode}-${p.period}`, paidOn: p.dueDate, amount }));
  return { unitCode, district, commune, periods, payments };
}

describe('collection report', () => {
  it('adds up: communes to districts to the office, with the same debt ratio as the monthly run', () => {
    const units = [unit('A', 'Bắc Sơn', 0), unit('B', 'Bắc Sơn', 2), unit('C', 'Nam Sơn', 4), unit('D', 'Đông Sơn', 7, 5_000_000, 'Nho Quan')];
    const builder = new CollectionReportBuilder(AS_OF, policy);
    const tally = newRunTally();
    for (const u of units) {
      builder.add(u);
      const status = ledgerStatus(u.periods, u.payments, AS_OF, policy);
      tallyEmployer(tally, status, decideEscalation(status, false, policy), addMonthsToDate(AS_OF, -policy.report.receivableMonths));
    }
    const report = builder.finish([], []);
    const run = finishTally(tally, { cycle: '2026-11', asOf: AS_OF, policyVersion: policy.version, startedAt: '', finishedAt: '', malformedSamples: [] });
    expect(report.office).toMatchObject({ units: 4, arrears: run.arrears, receivable: run.receivable, debtRatioPercent: run.debtRatioPercent });
    expect(report.office.byMonthsOverdue).toEqual(run.byMonthsOverdue);
    for (const key of ['units', 'receivable', 'collected', 'arrears', 'interest', 'evading'] as const) {
      expect(report.districts.reduce((s, d) => s + d[key], 0), key).toBe(report.office[key]);
      expect(report.communes.reduce((s, c) => s + c[key], 0), key).toBe(report.office[key]);
    }
    expect(report.districts.map((d) => d.district)).toEqual(['Nho Quan', 'Tam Điệp']);
    expect(report.communes.map((c) => c.commune)).toEqual(['Đông Sơn', 'Bắc Sơn', 'Nam Sơn']);
    // Evasion: unpaid more than 60 days after the deadline (C from its 2026-06 period, D too).
    expect(report.office.evading).toBe(2);
  });

  it('traces the debt ratio over the last cycles, the last point being the report itself', () => {
    const builder = new CollectionReportBuilder(AS_OF, policy);
    builder.add(unit('C', 'Nam Sơn', 4));
    const { office } = builder.finish([], []);
    expect(office.trend).toHaveLength(TREND_CYCLES);
    expect(office.trend.map((t) => t.asOf)).toEqual(trendDates(AS_OF));
    expect(office.trend.at(-1)).toMatchObject({ cycle: '2026-11', arrears: office.arrears, debtRatioPercent: office.debtRatioPercent });
    // The last four periods unpaid (2026-10 not yet due on the report date): arrears grow deadline by deadline.
    const arrears = office.trend.map((t) => t.arrears);
    expect(arrears.slice(-5)).toEqual([0, 0, 10_000_000, 20_000_000, 30_000_000]);
  });

  it('measures each district, commune and officer against its plan for the year', () => {
    const builder = new CollectionReportBuilder(AS_OF, policy);
    builder.add(unit('A', 'Bắc Sơn', 0));
    builder.add(unit('B', 'Bắc Sơn', 3));
    const report = builder.finish(
      [{ officerId: 'cb.a', role: 'collector', district: 'Tam Điệp', communes: ['Bắc Sơn'], openTasks: 2, overdueTasks: 1 }],
      [
        { scope: 'district', key: 'Tam Điệp', year: 2026, collected: 100_000_000, maxDebtRatioPercent: 5 },
        { scope: 'commune', key: 'Tam Điệp/Bắc Sơn', year: 2026, maxDebtRatioPercent: 20 },
        { scope: 'officer', key: 'cb.a', year: 2026, collected: 300_000_000 },
        { scope: 'district', key: 'Tam Điệp', year: 2025, collected: 1 },
      ],
    );
    const [district] = report.districts;
    // Paid in 2026 so far: A's ten periods due and paid in 2026 plus B's eight.
    expect(district!.collectedThisYear).toBe(180_000_000);
    expect(district!.target).toEqual({ collectedTarget: 100_000_000, collectedPercentOfPlan: 180, maxDebtRatioPercent: 5, debtRatioMet: false });
    expect(report.communes[0]!.target).toMatchObject({ collectedTarget: null, maxDebtRatioPercent: 20, debtRatioMet: true });
    expect(report.officers[0]).toMatchObject({ officerId: 'cb.a', units: 2, openTasks: 2, overdueTasks: 1, collectedThisYear: 180_000_000, target: { collectedPercentOfPlan: 60 } });
    expect(report.office.target.collectedTarget).toBeNull();
  });

  it('a ratio is never negative and never above 100% of what was receivable plus older arrears (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 8 }), (behinds) => {
      const builder = new CollectionReportBuilder(AS_OF, policy);
      behinds.forEach((b, i) => builder.add(unit(`U${i}`, `C${i % 3}`, b)));
      const { office } = builder.finish([], []);
      return office.debtRatioPercent >= 0 && office.arrears <= office.receivable && office.units === behinds.length;
    }), { numRuns: 30 });
  });

  it('carries the participants\' renewals as the renewal report counts them, per commune and agent against targets, and their rate as a metric', () => {
    const fact = (commune: string, agentId: string, status: CycleFact['status'], remindersSent: number): CycleFact =>
      ({ kind: 'vsi', commune, agentId, coveredUntil: '2026-10-31', status, remindersSent });
    const facts = [fact('Bắc Sơn', 'dl.a', 'renewed', 2), fact('Bắc Sơn', 'dl.a', 'open', 1), fact('Bắc Sơn', 'dl.b', 'open', 0), fact('Nam Sơn', 'dl.b', 'renewed', 0)];
    const targets = [{ commune: 'Bắc Sơn', targetRenewalPercent: 75 }, { commune: 'Bắc Sơn', agentId: 'dl.a', targetRenewalPercent: 80 }];
    const renewals = tallyRenewals('2026-10', facts, targets, AS_OF);
    const builder = new CollectionReportBuilder(AS_OF, policy);
    builder.add(unit('A', 'Bắc Sơn', 1));
    const report = builder.finish([], [], renewals);
    expect(report.participants).toBe(renewals);
    expect(report.participants!.total).toMatchObject({ due: 4, reminded: 2, renewed: 2, lapsed: 2, renewalRatePercent: 50 });
    expect(report.participants!.rows).toContainEqual(expect.objectContaining({ commune: 'Bắc Sơn', agentId: 'dl.a', due: 2, renewed: 1, renewalRatePercent: 50, targetPercent: 80, gapPoints: -30 }));
    expect(report.participants!.rows).toContainEqual(expect.objectContaining({ commune: 'Bắc Sơn', agentId: '*', due: 3, renewalRatePercent: 33.3, targetPercent: 75 }));
    expect(collectionReportMetrics(report)).toContainEqual({ metric: 'renewalRate', value: 50 });
    // Without participants' data there is no section and no rate.
    const without = new CollectionReportBuilder(AS_OF, policy).finish([], []);
    expect(without.participants).toBeNull();
    expect(collectionReportMetrics(without).map((p) => p.metric)).not.toContain('renewalRate');
  });

  it('its metrics are the report\'s own figures, office and district', () => {
    const builder = new CollectionReportBuilder(AS_OF, policy);
    for (const u of [unit('A', 'Bắc Sơn', 0), unit('B', 'Bắc Sơn', 2), unit('D', 'Đông Sơn', 7, 5_000_000, 'Nho Quan')]) builder.add(u);
    const report = builder.finish([{ officerId: 'cb.x', role: 'collector', district: 'Tam Điệp', communes: ['Bắc Sơn'], openTasks: 3, overdueTasks: 1 }], []);
    const points = collectionReportMetrics(report);
    const value = (metric: string, dimensions?: Record<string, string>) =>
      points.filter((p) => p.metric === metric && JSON.stringify(p.dimensions ?? {}) === JSON.stringify(dimensions ?? {})).map((p) => p.value);
    expect(value('debtRatio')).toEqual([report.office.debtRatioPercent]);
    expect(value('arrears', { district: 'Nho Quan' })).toEqual([report.districts.find((d) => d.district === 'Nho Quan')!.arrears]);
    expect(value('receivable', { district: 'Tam Diep' })).toEqual([report.districts.find((d) => d.district === 'Tam Điệp')!.receivable]);
    expect(value('unitsOverdue', { district: 'Nho Quan', monthsOverdue: '6+' })).toEqual([1]);
    expect(value('openTasks')).toEqual([3]);
    expect(value('overdueTasks')).toEqual([1]);
  });
});
