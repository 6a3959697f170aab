import type { Ports } from '../commons/deps.ts';
import type { RegisteredByCheckRecord, TaxCheckRecord } from '../commons/reconciliation-records.ts';
import type { Target } from '../core/collection-report.ts';
import { endOfLocalDay, periodOf, type IsoDate } from '../core/dates.ts';
import {
  TaxFindingsReportBuilder, UNKNOWN_COMMUNE, coveredIn, latestCheckPerFinding, quartersOfYearTo, type TaxFindingsReport,
} from '../core/tax-findings-report.ts';

/**
 * The collection report's section on reconciliation with tax data (core/tax-findings-report.ts):
 * the report year's tax-data checks (each quarter's, by the quarter index; a finding found again
 * counts once, as its latest check stands) and registrations, read before the ledger scan; during
 * the scan, the location of each unit a finding or a registration names (its profile's district and
 * commune: only those units are kept) and each unit's roster members covered in the report month.
 */

interface Where { district: string; commune: string }

export class TaxFindingsCollector {
  private readonly builder: TaxFindingsReportBuilder;
  /** Units a check or a registration names, their location once the scan has passed them. */
  private readonly located = new Map<string, Where | undefined>();
  private participants = 0;

  private constructor(
    private readonly deps: Ports<'reconciliation'>,
    private readonly month: string,
    private readonly checks: TaxCheckRecord[],
    private readonly registrations: RegisteredByCheckRecord[],
    /** The end of the report date, office time: an outcome recorded later is not known yet. */
    private readonly cutoff: string,
  ) {
    this.builder = new TaxFindingsReportBuilder(month);
    for (const c of checks) if (c.finding.unitCode !== undefined) this.located.set(c.finding.unitCode, undefined);
    for (const r of registrations) this.located.set(r.unitCode, undefined);
  }

  static async start(deps: Ports<'reconciliation'>, asOf: IsoDate, timeZone: string): Promise<TaxFindingsCollector> {
    const month = periodOf(asOf);
    const quarters = quartersOfYearTo(month);
    const checks = (await Promise.all(quarters.map((q) => deps.reconciliation.taxChecksIn(q)))).flat().filter((c) => c.openedOn <= asOf);
    const registrations = (await Promise.all(quarters.map((q) => deps.reconciliation.registeredIn(q)))).flat().filter((r) => r.recordedOn <= asOf);
    return new TaxFindingsCollector(deps, month, checks, registrations, endOfLocalDay(asOf, timeZone).toISOString());
  }

  /** One unit of the scan: kept where a finding needs it; its roster's members covered this month counted. */
  async visitUnit(unit: { unitCode: string; district: string; commune: string }): Promise<void> {
    const where = { district: unit.district, commune: unit.commune };
    if (this.located.has(unit.unitCode)) this.located.set(unit.unitCode, where);
    const roster = await this.deps.reconciliation.rosterOf(unit.unitCode, () => {});
    const covered = coveredIn(roster, this.month);
    if (covered > 0) {
      this.builder.addParticipants(where, covered);
      this.participants += covered;
    }
  }

  /** The section, or null when there is nothing to show (no check, no registration, no roster). */
  finish(targets: readonly Target[]): TaxFindingsReport | null {
    if (this.checks.length === 0 && this.registrations.length === 0 && this.participants === 0) return null;
    const whereOf = (c: TaxCheckRecord): Where =>
      (c.finding.unitCode !== undefined ? this.located.get(c.finding.unitCode) : undefined) ?? { district: c.district, commune: UNKNOWN_COMMUNE };
    // A check opened after the report date is left out above; one whose outcome came after it was still open then.
    for (const c of latestCheckPerFinding(this.checks)) {
      const outcome = c.result && c.result.recordedAt < this.cutoff ? c.result.outcome : undefined;
      this.builder.addCheck({ ...whereOf(c), finding: c.finding, outcome });
    }
    const checkOf = new Map(this.checks.map((c) => [c.taskId, c]));
    for (const r of this.registrations) {
      const check = checkOf.get(r.taskId);
      const where = check ? whereOf(check) : this.located.get(r.unitCode) ?? { district: UNKNOWN_COMMUNE, commune: UNKNOWN_COMMUNE };
      this.builder.addRegistered(where, r.registered);
    }
    return this.builder.finish(targets);
  }
}
