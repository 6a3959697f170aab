import pLimit from 'p-limit';
import { staleBefore, type MessageKindName } from '../core/claim-rule.ts';
import { cycleOf } from '../core/escalation.ts';
import { addTallies, emptyTally, isStillDue, stillDue, type Delivery, type DeliveryTally } from '../core/delivery-tally.ts';
import type { IsoDate } from '../core/dates.ts';
import type { Policy } from '../core/policy.ts';
import { redriveMetrics } from '../core/metric-points.ts';
import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { emitMetrics } from '../commons/metrics.ts';
import type { MessageRef } from '../commons/message-claims.ts';
import { sendNotice } from './send-notice.ts';
import { sendStatement } from './statement-run.ts';
import { sendPreDisclosureNotice } from './disclosure-run.ts';
import { confirmPayment, tellOfficerClosed } from './record-payment.ts';
import { tellOfficerOverdue } from './task-timeout.ts';
import { tellOfficerAssigned } from './tell-officer-assigned.ts';
import { notifyUnit, tellUnitAfterDeadline } from './employee-notice-run.ts';
import { deliverOnce } from './deliver-once.ts';
import { ledgerStatus } from '../core/ledger.ts';

/** The kinds the redrive sends again (reminders have their own index and hourly reruns). */
export const REDRIVEN = [
  'urging', 'statement', 'pre-disclosure', 'payment-confirmation', 'officer-email', 'employee-notice', 'employees-informed',
] as const satisfies readonly MessageKindName[];
export type Redriven = (typeof REDRIVEN)[number];
/** Employees' notices and their unit's email: sent again together, unit by unit, until their deadline only. */
const UNIT_NOTICES = ['employee-notice', 'employees-informed'] as const satisfies readonly Redriven[];
type UnitNoticeKind = (typeof UNIT_NOTICES)[number];
const isUnitNotice = (k: Redriven): k is UnitNoticeKind => (UNIT_NOTICES as readonly Redriven[]).includes(k);

export interface RedriveSummary {
  date: IsoDate;
  startedAt: string;
  finishedAt: string;
  /** How each pending message's new attempt ended, by kind. */
  messages: Record<Redriven, DeliveryTally>;
  /** Still not sent after this run (of the kinds it was asked for), and of those, past their kind's deadline (the alarm). */
  stillDue: number;
  pastDeadline: number;
  /** Of `pastDeadline`, employees' notices and their units' emails (not sent late: the next cycle's notice tells the employee again). */
  employeeNoticesPastDeadline: number;
}

/** At once per run: enough to hide the provider's latency, few enough not to be throttled. */
const IN_FLIGHT = 8;

/**
 * The redrive: every employer's message whose claim is not settled — its send failed (throttled,
 * the provider down) or its worker died (a stale claim) — is sent again through the same delivery
 * mechanism, from fresh data (notices, statements, pre-disclosure notices, payment confirmations,
 * officers' emails: a task assigned, overdue, closed by a payment; employees' notices and their
 * units' emails, unit by unit through the employee notice run's own function), until its kind's
 * deadline in the policy (notices and statements: the 10th; employees' notices: the 15th, and not
 * after it); what is still due after that raises the alarm. A claim is retried only once it is older
 * than the stale age, which is the backoff between attempts. Scheduled daily (every kind), and run
 * after each run's segments (the monthly run's catch-up: `kinds: ['urging']`, the kinds it sends).
 */
export async function runRedrive(
  deps: Ports<'ledgers' | 'casework' | 'claims' | 'tasks' | 'officers' | 'runs' | 'mailer' | 'sms' | 'reconciliation' | 'reminders' | 'clock' | 'office' | 'inbox' | 'policyFor'>,
  input: { asOf?: IsoDate | undefined; kinds?: readonly Redriven[] | undefined },
): Promise<RedriveSummary> {
  const kinds = REDRIVEN.filter((k) => !input.kinds || input.kinds.includes(k));
  const startedAt = deps.clock.now().toISOString();
  const today = input.asOf ?? deps.clock.today();
  const policy = deps.policyFor(today);
  const before = staleBefore(deps.clock.now(), policy.notice.claimStaleAfterMinutes);
  const messages = Object.fromEntries(REDRIVEN.map((k) => [k, emptyTally()])) as Record<Redriven, DeliveryTally>;
  let pastDeadline = 0;
  const limit = pLimit(IN_FLIGHT);
  const report = (m: { key: string; reason: string }) => logger.warn('Malformed item: message not sent again', { ...m });

  const resend = async (ref: MessageRef): Promise<Delivery> => {
    switch (ref.message) {
      case 'statement':
        return sendStatement(deps, ref.unitCode, ref.cycle, today, policy, report);
      case 'pre-disclosure':
        return sendPreDisclosureNotice(deps, ref.unitCode, today, policy);
      case 'urging': {
        try {
          const r = await sendNotice(deps, { unitCode: ref.unitCode, cycle: ref.cycle, asOf: today });
          return r.outcome === 'sent' ? 'sent' : r.outcome === 'already-sent' ? 'alreadySent' : r.outcome === 'on-hold' ? 'held' : 'notNeeded';
        } catch (error) {
          logger.warn('Urging notice not sent again', { error: (error as Error).name });
          return 'failed';
        }
      }
      case 'payment-confirmation': {
        const ledger = await deps.ledgers.getLedger(ref.unitCode, report);
        const payment = ledger.payments.find((p) => p.reference === ref.reference);
        if (!ledger.employer || !payment) return 'badRecord';
        return confirmPayment(deps, ledger.employer, { unitCode: ref.unitCode, ...payment }, ledgerStatus(ledger.periods, ledger.payments, today, policy), policy);
      }
      case 'officer-email': {
        // Told again from the task as it stands: one closed or moved on since is not needed any more.
        if (ref.purpose === 'task-assigned') return tellOfficerAssigned(deps, ref.taskId, ref.assignment ?? 0, policy);
        const task = await deps.tasks.getTask(ref.taskId);
        const officer = task ? await deps.officers.getOfficer(task.officerId) : undefined;
        if (!task || !officer) return 'badRecord';
        if (ref.purpose === 'task-overdue') return tellOfficerOverdue(deps, task, officer, policy);
        return task.closedByPayment ? tellOfficerClosed(deps, task, officer, task.closedByPayment, policy) : 'badRecord';
      }
      // Not redriven (not in REDRIVEN): a manager's report email failed is sent by the report's rerun.
      case 'manager-email':
      // Reminders have their own index and hourly reruns; employees' notices are sent unit by unit (below).
      case 'reminder':
      case 'employee-notice':
      case 'employees-informed':
        return 'alreadySent';
    }
  };

  for (const kind of kinds) {
    if (isUnitNotice(kind)) continue;
    const pending = await deps.claims.pendingClaims(kind, before);
    await Promise.all(pending.map(({ ref }) => limit(async () => {
      const outcome = await resend(ref);
      messages[kind][outcome]++;
      if (isStillDue(outcome) && (ref.message === 'urging' || ref.message === 'statement') && isPastDeadline(ref.message, ref.cycle, today, policy)) pastDeadline++;
    })));
  }

  const unitKinds = kinds.filter(isUnitNotice);
  const employeeNoticesPastDeadline = unitKinds.length === 0 ? 0 : await redriveUnitNotices(deps, unitKinds, today, policy, messages, limit, report);
  pastDeadline += employeeNoticesPastDeadline;

  const summary: RedriveSummary = {
    date: today, startedAt, finishedAt: deps.clock.now().toISOString(), messages,
    stillDue: kinds.reduce((n, k) => n + stillDue(messages[k]), 0), pastDeadline, employeeNoticesPastDeadline,
  };
  await deps.runs.putRunSummary(today, { ...summary }, `REDRIVE#${startedAt}`);
  emitMetrics(redriveMetrics({
    sent: REDRIVEN.reduce((n, k) => n + messages[k].sent, 0), stillDue: summary.stillDue, pastDeadline,
    employeeNotices: addTallies(messages['employee-notice'], messages['employees-informed']), employeeNoticesPastDeadline,
  }));
  if (pastDeadline > 0) logger.error('Messages still not sent past their deadline', { pastDeadline });
  logger.info('Redrive finished', { date: today, stillDue: summary.stillDue, pastDeadline });
  return summary;
}

/**
 * Employees' notices (issue 14) still due, and their units' emails: grouped by unit and cycle, each
 * unit's notices go again through the employee notice run's own function (notifyUnit: a fresh read
 * of the ledger and roster, the opt-outs, the plan, each notice through deliverOnce under its
 * claim), which tells the unit once every notice is settled. Until the kinds' deadline only (the
 * policy's delivery section: the 15th): past it, the notice's figures are stale and the next
 * cycle's notice tells the employee again, so what is left is not sent but counted past its
 * deadline, in its cycle's month (the redrive runs through the day after it), for the alarm; the
 * unit is then told of those who were told (tellUnitAfterDeadline), until its email's own deadline
 * (the day after the notices').
 * A claim is taken again only once older than the employee notices' stale age: the backoff.
 */
async function redriveUnitNotices(
  deps: Parameters<typeof runRedrive>[0], kinds: readonly UnitNoticeKind[], today: IsoDate, policy: Policy,
  messages: Record<Redriven, DeliveryTally>, limit: ReturnType<typeof pLimit>, report: (m: { key: string; reason: string }) => void,
): Promise<number> {
  const stale = policy.employeeNotice.claimStaleAfterMinutes;
  const before = staleBefore(deps.clock.now(), stale);
  type UnitRef = Extract<MessageRef, { message: UnitNoticeKind }>;
  const units = new Map<string, { unitCode: string; cycle: string; pending: { ref: UnitRef; status: string }[] }>();
  for (const kind of kinds) {
    for (const { ref, status } of await deps.claims.pendingClaims(kind, before)) {
      if (ref.message !== 'employee-notice' && ref.message !== 'employees-informed') continue;
      const id = `${ref.unitCode}#${ref.cycle}`;
      const unit = units.get(id) ?? units.set(id, { unitCode: ref.unitCode, cycle: ref.cycle, pending: [] }).get(id)!;
      unit.pending.push({ ref, status });
    }
  }
  const asked = (k: UnitNoticeKind) => kinds.includes(k);
  let pastDeadline = 0;
  let earlier = 0;
  await Promise.all([...units.values()].map(({ unitCode, cycle, pending }) => limit(async () => {
    const settle = async (ref: UnitRef, skip: 'notNeeded' | 'held') => (await deliverOnce(deps, policy, ref, stale, async () => ({ skip }))).delivery;
    const informed = pending.find(({ ref }) => ref.message === 'employees-informed')?.ref;
    if (isPastDeadline('employee-notice', cycle, today, policy)) {
      // Not sent late. Counted in its cycle's month; a later cycle's run has told the employee again.
      if (cycleOf(today) !== cycle) {
        earlier += pending.length;
        return;
      }
      const informedOpen = !isPastDeadline('employees-informed', cycle, today, policy) && asked('employees-informed');
      for (const { ref, status } of pending) {
        if (informedOpen && ref.message === 'employees-informed') continue;
        messages[ref.message][status === 'claimed' ? 'inProgress' : 'failed']++;
        pastDeadline++;
      }
      if (!informedOpen) return;
      // The unit still hears, the day after, of those of its employees who were told.
      let told: Awaited<ReturnType<typeof tellUnitAfterDeadline>>;
      try {
        told = await tellUnitAfterDeadline(deps, unitCode, today, cycle, policy, report);
      } catch (error) {
        logger.warn('A unit\'s email of its employees told not sent', { unitCode, error: (error as Error).name });
        messages['employees-informed'].failed++;
        return;
      }
      const unit = told === 'not-late' || told === 'held' || told === 'notNeeded'
        ? (informed ? await settle(informed, told === 'held' ? 'held' : 'notNeeded') : undefined)
        : told;
      if (unit && (informed || unit !== 'alreadySent')) messages['employees-informed'][unit]++;
      return;
    }
    let r: Awaited<ReturnType<typeof notifyUnit>>;
    try {
      r = await notifyUnit(deps, unitCode, today, cycle, policy, report);
    } catch (error) {
      // One unit's failure (a store error) leaves its claims to the next redrive, not the other units'.
      logger.warn('Employees\' notices of a unit not sent again', { unitCode, error: (error as Error).name });
      for (const { ref } of pending) messages[ref.message].failed++;
      return;
    }
    if (r === 'not-late' || r === 'held') {
      // Paid since, or on hold: nothing goes out, and the claims are settled as the run's would be.
      for (const { ref } of pending) messages[ref.message][await settle(ref, r === 'held' ? 'held' : 'notNeeded')]++;
      return;
    }
    const pendingEmployees = new Set(pending.flatMap(({ ref }) => (ref.message === 'employee-notice' ? [ref.employee] : [])));
    if (asked('employee-notice')) {
      for (const { ref } of pending) {
        if (ref.message !== 'employee-notice') continue;
        // Not in the plan any more (left the roster, opted out, no consent): not needed.
        messages['employee-notice'][r.deliveries.get(ref.employee)?.delivery ?? await settle(ref, 'notNeeded')]++;
      }
      // The unit's other notices it tried now (an employee added to the roster since, a claim not yet
      // stale); not those settled before (sent, or refused for good: counted when it was refused).
      for (const [employee, d] of r.deliveries) {
        if (!pendingEmployees.has(employee) && (d.delivery === 'sent' || d.providerError !== undefined)) messages['employee-notice'][d.delivery]++;
      }
    }
    // Nobody told after all (every notice settled without one going out): its claim is settled, not left pending.
    const unit = informed && r.unit === 'notNeeded' ? await settle(informed, 'notNeeded') : r.unit;
    if (asked('employees-informed') && (informed || (unit !== 'waiting' && unit !== 'alreadySent' && unit !== 'notNeeded'))) {
      messages['employees-informed'][unit === 'waiting' ? 'pending' : unit]++;
    }
  })));
  if (earlier > 0) logger.warn('Employees\' notices of an earlier cycle left unsent (past their deadline)', { count: earlier });
  return pastDeadline;
}

/** Past the policy's day of the cycle's month by which this kind must have gone out. */
function isPastDeadline(kind: Redriven, cycle: string, today: IsoDate, policy: Policy): boolean {
  const day = policy.delivery[kind].deadlineDayOfMonth;
  return day !== undefined && cycleOf(today) >= cycle && today > `${cycle}-${String(day).padStart(2, '0')}`;
}
