import { createHash } from 'node:crypto';
import { periodOf, type IsoDate, type Period } from '../core/dates.ts';
import { addTallies, emptyTally, isStillDue, type Delivery, type DeliveryTally } from '../core/delivery-tally.ts';
import { isLateEnough, planEmployeeNotices, renderEmployerInformed, unpaidMonthsOf, type NoticeChannel, type PlannedEmployeeNotice } from '../core/employee-notice.ts';
import { ledgerStatus } from '../core/ledger.ts';
import type { Policy } from '../core/policy.ts';
import type { Ports } from '../commons/deps.ts';
import { ids } from '../commons/ids.ts';
import { logger } from '../commons/logger.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { employeeNoticeRunMetrics } from '../core/metric-points.ts';
import type { MalformedItem } from '../commons/store.ts';
import type { MessageRef } from '../commons/message-claims.ts';
import { addressHash } from '../commons/sms-sender.ts';
import { deliverOnce, type DeliveryResult } from './deliver-once.ts';
import { forEachLedger, malformedCollector, scanPart } from './scan-ledgers.ts';

/**
 * Employees' right to know (issue 14; the plan: core/employee-notice.ts). Scheduled on the policy's
 * day (the 10th), repeated a few hours that day (`employeeNotice.rerunUntilHour`): one parallel scan
 * lists the units late enough; for each, the ledger is read again (consistent), a unit on hold is
 * left alone, its roster read, each address checked against the opt-outs (STOP replies, bounces and
 * complaints: the same suppressions the reminders honour), and each employee's notice goes through
 * the one claim → send → complete mechanism (steps/deliver-once.ts) under its own key per employee
 * and cycle (ids.employeeNotice), so a rerun sends nothing twice and takes what an earlier run left
 * (throttled, failed). Once every notice of the unit is settled, the unit is told, once per cycle
 * (`employees-informed`), how many of its employees were informed: a count, never who. What the
 * day's runs leave (a provider outage) the daily redrive sends through `notifyUnit` until the
 * notices' deadline (the 15th), and counts past it; a unit whose notices are still due then is told
 * the day after of those who were (tellUnitAfterDeadline; steps/redrive-run.ts).
 *
 * Logs and the run record carry counts and unit codes only: never a name, phone, email or SI code.
 * Emails go from the notices' address (the function's one sender, as every notice to a unit).
 */

export interface EmployeeNoticeRunInput {
  /** The run date; by default today in the office's time zone. */
  asOf?: IsoDate | undefined;
  segments?: number[] | undefined;
  totalSegments?: number | undefined;
}

export interface EmployeeNoticeRunSummary {
  date: IsoDate;
  cycle: string;
  policyVersion: string;
  unitsScanned: number;
  /** Units at least the policy's days late (their oldest unpaid period). */
  unitsLate: number;
  /** Late units on hold (a dispute, force majeure...): their employees are not told while it lasts. */
  unitsHeld: number;
  /** How each employee's notice ended, and by which channel those sent now went. */
  employees: DeliveryTally;
  sentBy: Record<NoticeChannel, number>;
  /** Employees of late units not told, by why. */
  skipped: { notInUnpaidMonths: number; noConsent: number; noContact: number; optedOut: number };
  /** How each unit's "employees informed" email ended; `waiting`: a notice still due, the unit is told by a rerun. */
  units: DeliveryTally & { waiting: number };
  malformed: MalformedItem[];
  startedAt: string;
  finishedAt: string;
}

type RunPorts = UnitPorts & Ports<'runs' | 'policyFor'>;
/** What one unit's notices need: the redrive sends them through the same function (steps/redrive-run.ts). */
export type UnitPorts = Ports<'ledgers' | 'reconciliation' | 'reminders' | 'claims' | 'mailer' | 'sms' | 'clock' | 'office'>;

const MALFORMED_SAMPLES = 20;

export async function runEmployeeNotices(deps: RunPorts, input: EmployeeNoticeRunInput): Promise<EmployeeNoticeRunSummary> {
  const startedAt = deps.clock.now().toISOString();
  const today = input.asOf ?? deps.clock.today();
  const policy = deps.policyFor(today);
  const cycle = periodOf(today);
  const s = {
    unitsScanned: 0, unitsLate: 0, unitsHeld: 0, employees: emptyTally(), sentBy: { sms: 0, email: 0 },
    skipped: { notInUnpaidMonths: 0, noConsent: 0, noContact: 0, optedOut: 0 }, units: { ...emptyTally(), waiting: 0 },
  };
  const { items: malformed, report } = malformedCollector('the employee notices', MALFORMED_SAMPLES);

  await forEachLedger(deps, scanPart(input), report, (scanned) => {
    s.unitsScanned++;
    if (!scanned.hasProfile) return;
    if (!isLateEnough(ledgerStatus(scanned.periods, scanned.payments, today, policy), policy.employeeNotice)) return;
    return notifyUnit(deps, scanned.unitCode, today, cycle, policy, report).then((r) => {
      if (r === 'not-late') return;
      s.unitsLate++;
      if (r === 'held') {
        s.unitsHeld++;
        return;
      }
      s.employees = addTallies(s.employees, r.employees);
      s.sentBy.sms += r.sentBy.sms;
      s.sentBy.email += r.sentBy.email;
      for (const k of Object.keys(s.skipped) as (keyof typeof s.skipped)[]) s.skipped[k] += r.skipped[k];
      s.units[r.unit]++;
    });
  });

  const summary: EmployeeNoticeRunSummary = { date: today, cycle, policyVersion: policy.version, ...s, malformed, startedAt, finishedAt: deps.clock.now().toISOString() };
  // One record per run: the day's reruns do not overwrite the first one's figures.
  await deps.runs.putRunSummary(cycle, { ...summary }, `EMPLOYEE-NOTICES#${startedAt}`);
  // Counts only, office-wide: no unit's code, no employee, name or address (core/metric-points.ts).
  emitMetrics(employeeNoticeRunMetrics(summary));
  // Counts only: no unit's employees, names or addresses.
  logger.info('Employee notice run finished', {
    cycle, unitsScanned: s.unitsScanned, unitsLate: s.unitsLate, unitsHeld: s.unitsHeld,
    sent: s.employees.sent, alreadySent: s.employees.alreadySent, stillDue: s.employees.pending + s.employees.failed + s.employees.inProgress,
    unitsInformed: s.units.sent + s.units.alreadySent, unitsWaiting: s.units.waiting,
  });
  return summary;
}

export interface UnitResult {
  employees: DeliveryTally;
  /** How each planned employee's notice ended (and the provider's error, when it failed now), by the claim's opaque employee key (ids.employeeNotice). */
  deliveries: Map<string, DeliveryResult>;
  sentBy: Record<NoticeChannel, number>;
  skipped: EmployeeNoticeRunSummary['skipped'];
  unit: Delivery | 'waiting';
}

/**
 * One unit's employees, then the unit itself; from a fresh read of its ledger (a unit that just paid
 * gets nothing). The run calls it per late unit; the redrive per unit with a notice still due (of
 * `cycle`, the claims' cycle), so a notice is planned, keyed and sent one way only.
 */
export async function notifyUnit(
  deps: UnitPorts, unitCode: string, today: IsoDate, cycle: string, policy: Policy, report: (m: MalformedItem) => void,
): Promise<UnitResult | 'not-late' | 'held'> {
  const standing = await lateUnit(deps, unitCode, today, policy, report);
  if (typeof standing === 'string') return standing;
  const { employer, status } = standing;

  const roster = await deps.reconciliation.rosterOf(unitCode, report);
  // Every address the roster may use, checked once against the opt-outs (a consistent read each).
  const optedOut = new Set<string>();
  await Promise.all(roster.filter((m) => m.contactConsent).flatMap((m) => [
    ...(m.phone ? [['sms', m.phone] as const] : []), ...(m.email ? [['email', m.email] as const] : []),
  ]).map(async ([channel, address]) => {
    if (await deps.reminders.isSuppressed(channel, addressHash(channel, address))) optedOut.add(addressHash(channel, address));
  }));
  const plan = planEmployeeNotices({
    unit: { unitCode, name: employer.name }, status, roster, policy, office: deps.office,
    isOptedOut: (channel, address) => optedOut.has(addressHash(channel, address)),
  });

  const employees = emptyTally();
  const sentBy = { sms: 0, email: 0 };
  const deliveries = new Map<string, DeliveryResult>();
  for (const notice of plan.notices) {
    const employee = ids.employeeNotice({ unitCode, cycle, siCode: notice.siCode });
    const result = await sendEmployeeNotice(deps, { message: 'employee-notice', unitCode, cycle, employee }, notice, policy);
    const delivery = result.delivery;
    deliveries.set(employee, result);
    employees[delivery]++;
    if (delivery === 'sent') sentBy[notice.channel]++;
  }

  const informed = employees.sent + employees.alreadySent;
  // Told once every notice is settled (a rerun sends what is still due first), and only if someone was told.
  if (stillDueOf(employees) > 0) return { employees, deliveries, sentBy, skipped: plan.skipped, unit: 'waiting' };
  if (informed === 0) return { employees, deliveries, sentBy, skipped: plan.skipped, unit: 'notNeeded' };
  const delivery = await tellUnit(deps, { unitCode, cycle, employer, informed, unpaidMonths: plan.unpaidMonths, today, policy });
  return { employees, deliveries, sentBy, skipped: plan.skipped, unit: delivery };
}

/**
 * Past the employees' notices' deadline with some still due (a provider outage outlasted the
 * redrives): they are not sent late, but the unit is told, the day after, of those who were told
 * by then (the claims that went out), once; a unit that paid since, is on hold, or had nobody told
 * is not. The redrive calls it (steps/redrive-run.ts).
 */
export async function tellUnitAfterDeadline(
  deps: UnitPorts, unitCode: string, today: IsoDate, cycle: string, policy: Policy, report: (m: MalformedItem) => void,
): Promise<Delivery | 'not-late' | 'held'> {
  const standing = await lateUnit(deps, unitCode, today, policy, report);
  if (typeof standing === 'string') return standing;
  const { employer, status } = standing;
  const informed = (await deps.claims.employeeNoticeStatuses(unitCode, cycle)).filter((s) => s === 'sent').length;
  if (informed === 0) return 'notNeeded';
  return tellUnit(deps, { unitCode, cycle, employer, informed, unpaidMonths: unpaidMonthsOf(status), today, policy });
}

/** The unit, from a fresh read of its ledger, when it is late enough for its employees to be told and not on hold. */
async function lateUnit(deps: UnitPorts, unitCode: string, today: IsoDate, policy: Policy, report: (m: MalformedItem) => void) {
  const ledger = await deps.ledgers.getLedger(unitCode, report);
  const employer = ledger.employer;
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  if (!employer || !isLateEnough(status, policy.employeeNotice)) return 'not-late' as const;
  if (ledger.hold && today <= ledger.hold.until) return 'held' as const;
  return { employer, status };
}

/** The unit's one email of the cycle: how many of its employees were told (a count, never who). */
async function tellUnit(
  deps: UnitPorts,
  u: { unitCode: string; cycle: string; employer: { name: string; email: string; locale: 'vi' | 'en' }; informed: number; unpaidMonths: readonly Period[]; today: IsoDate; policy: Policy },
): Promise<Delivery> {
  const { delivery } = await deliverOnce(deps, u.policy, { message: 'employees-informed', unitCode: u.unitCode, cycle: u.cycle }, u.policy.employeeNotice.claimStaleAfterMinutes, async () => {
    const mail = renderEmployerInformed({ unitCode: u.unitCode, name: u.employer.name, locale: u.employer.locale }, u.informed, u.unpaidMonths, u.today, u.policy.employeeNotice, deps.office);
    return {
      send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: u.employer.email, subject: mail.subject, body: mail.body, claim }),
      evidence: { contentSha256: createHash('sha256').update(`${mail.subject}\n${mail.body}`).digest('hex') },
    };
  });
  return delivery;
}

const stillDueOf = (t: DeliveryTally) => (Object.keys(t) as Delivery[]).filter(isStillDue).reduce((n, d) => n + t[d], 0);

/** One employee's notice, claimed under its opaque per-employee, per-cycle key. */
function sendEmployeeNotice(deps: UnitPorts, ref: Extract<MessageRef, { message: 'employee-notice' }>, notice: PlannedEmployeeNotice, policy: Policy): Promise<DeliveryResult> {
  return deliverOnce(deps, policy, ref, policy.employeeNotice.claimStaleAfterMinutes, async () => {
    if (notice.sms) {
      const text = notice.sms.text;
      return {
        send: (claim) => deps.sms.send({ to: notice.to, text, senderId: deps.office.sms.senderId, claim }),
        evidence: { contentSha256: createHash('sha256').update(text).digest('hex'), segments: notice.sms.segments, debt: notice.byType.total },
      };
    }
    const email = notice.email!;
    return {
      send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: notice.to, subject: email.subject, body: email.body, claim }),
      evidence: { contentSha256: createHash('sha256').update(`${email.subject}\n${email.body}`).digest('hex'), debt: notice.byType.total },
    };
  });
}

/** The run's line for the local run's summary. */
export function employeeNoticesLine(s: EmployeeNoticeRunSummary): string {
  const e = s.employees;
  return `  employees told (${s.cycle}): ${e.sent} sent (${s.sentBy.sms} SMS, ${s.sentBy.email} email), ${e.alreadySent} already, ${e.pending + e.failed + e.inProgress} still due, `
    + `${s.skipped.noConsent + s.skipped.noContact} without consent or contact, ${s.skipped.optedOut} opted out; `
    + `${s.unitsLate} units late (${s.unitsHeld} on hold), ${s.units.sent + s.units.alreadySent} told their employees were informed`;
}
