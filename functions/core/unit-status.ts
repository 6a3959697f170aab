import { periodOf, type IsoDate, type Period } from './dates.ts';
import type { LedgerStatus } from './ledger.ts';
import { REGISTER_STATUSES, type BusinessRegistration, type RegisterStatus } from './reconciliation.ts';

/**
 * A unit's own standing as the agency records it (employers.csv `status`, `status_date`): active,
 * suspended or closed, in the business register's words (core/reconciliation.ts), from a date.
 *
 * - **Closed**: no contribution period is due after the closing date's month: the ledger does not
 *   charge them (a period of the month it closed in is still due; it had employees then). What
 *   it still owes is followed up as any debt: escalation goes on, and reconciliation flags it
 *   (its `closed-with-debt` finding, the one rule, fed the unit's own standing beside the
 *   register). A closed unit that owes nothing gets no statement after it closed.
 * - **Suspended**: followed up as an active unit; the periods the core system exports are charged
 *   as they are (it records what a suspended unit owes). Reconciliation flags a suspended unit
 *   still owing as the register's suspension is flagged.
 */

export const UNIT_STATUSES = REGISTER_STATUSES;
export type UnitStatus = RegisterStatus;

/** A unit not active, from when. */
export interface UnitStanding {
  status: Exclude<UnitStatus, 'active'>;
  on: IsoDate;
}

/** The standing of a unit's recorded status: none when active (or no status given). */
export function standingOf(status: UnitStatus | undefined, on: IsoDate | undefined): UnitStanding | undefined {
  return status === undefined || status === 'active' || on === undefined ? undefined : { status, on };
}

/** Whether the unit had closed on `date` (closed on that day or before). */
export const closedBy = (standing: UnitStanding | undefined, date: IsoDate): boolean => standing?.status === 'closed' && standing.on <= date;

/** Whether the ledger charges a period: for a closed unit, none after the month it closed in. */
export const isCharged = (period: Period, standing: UnitStanding | undefined): boolean =>
  standing?.status !== 'closed' || period <= periodOf(standing.on);

/** The periods the ledger charges (isCharged). */
export function chargedPeriods<P extends { period: Period }>(periods: P[], standing: UnitStanding | undefined): P[] {
  return standing?.status === 'closed' ? periods.filter((p) => isCharged(p.period, standing)) : periods;
}

/** Whether the monthly statement goes: not to a unit closed by `today` that owes nothing (due or not yet due). */
export function statementDue(standing: UnitStanding | undefined, status: Pick<LedgerStatus, 'debt' | 'notYetDue'>, today: IsoDate): boolean {
  return !closedBy(standing, today) || status.debt + status.notYetDue > 0;
}

/** The unit's standing as a business-register row, for reconciliation's one `closed-with-debt` rule. */
export function asRegistration(taxCode: string, standing: UnitStanding | undefined): BusinessRegistration[] {
  return standing ? [{ taxCode, status: standing.status, statusDate: standing.on }] : [];
}
