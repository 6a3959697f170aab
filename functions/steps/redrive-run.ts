import pLimit from 'p-limit';
import { staleBefore, type MessageKindName } from '../core/claim-rule.ts';
import { cycleOf } from '../core/escalation.ts';
import { emptyTally, isStillDue, stillDue, type Delivery, type DeliveryTally } from '../core/delivery-tally.ts';
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
import { ledgerStatus } from '../core/ledger.ts';

/** The kinds the redrive sends again (reminders have their own index and hourly reruns). */
export const REDRIVEN = ['urging', 'statement', 'pre-disclosure', 'payment-confirmation', 'officer-email'] as const satisfies readonly MessageKindName[];
export type Redriven = (typeof REDRIVEN)[number];

export interface RedriveSummary {
  date: IsoDate;
  startedAt: string;
  finishedAt: string;
  /** How each pending message's new attempt ended, by kind. */
  messages: Record<Redriven, DeliveryTally>;
  /** Still not sent after this run (of the kinds it was asked for), and of those, past their kind's deadline (the alarm). */
  stillDue: number;
  pastDeadline: number;
}

/** At once per run: enough to hide the provider's latency, few enough not to be throttled. */
const IN_FLIGHT = 8;

/**
 * The redrive: every employer's message whose claim is not settled — its send failed (throttled,
 * the provider down) or its worker died (a stale claim) — is sent again through the same delivery
 * mechanism, from fresh data (notices, statements, pre-disclosure notices, payment confirmations,
 * officers' emails: a task assigned, overdue, closed by a payment), until its kind's deadline in the policy (notices and statements: the
 * 10th); what is still due after that raises the alarm. A claim is retried only once it is older
 * than the stale age, which is the backoff between attempts. Scheduled daily (every kind), and run
 * after each run's segments (the monthly run's catch-up: `kinds: ['urging']`, the kinds it sends).
 */
export async function runRedrive(
  deps: Ports<'ledgers' | 'casework' | 'claims' | 'tasks' | 'officers' | 'runs' | 'mailer' | 'clock' | 'office' | 'inbox' | 'policyFor'>,
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
      // Reminders have their own index and hourly reruns; employees' notices their run's reruns on the day (steps/employee-notice-run.ts).
      case 'reminder':
      case 'employee-notice':
      case 'employees-informed':
        return 'alreadySent';
    }
  };

  for (const kind of kinds) {
    const pending = await deps.claims.pendingClaims(kind, before);
    await Promise.all(pending.map(({ ref }) => limit(async () => {
      const outcome = await resend(ref);
      messages[kind][outcome]++;
      if (isStillDue(outcome) && (ref.message === 'urging' || ref.message === 'statement') && isPastDeadline(ref.message, ref.cycle, today, policy)) pastDeadline++;
    })));
  }

  const summary: RedriveSummary = {
    date: today, startedAt, finishedAt: deps.clock.now().toISOString(), messages,
    stillDue: kinds.reduce((n, k) => n + stillDue(messages[k]), 0), pastDeadline,
  };
  await deps.runs.putRunSummary(today, { ...summary }, `REDRIVE#${startedAt}`);
  emitMetrics(redriveMetrics({ sent: REDRIVEN.reduce((n, k) => n + messages[k].sent, 0), stillDue: summary.stillDue, pastDeadline }));
  if (pastDeadline > 0) logger.error('Messages still not sent past their deadline', { pastDeadline });
  logger.info('Redrive finished', { date: today, stillDue: summary.stillDue, pastDeadline });
  return summary;
}

/** Past the policy's day of the cycle's month by which this kind must have gone out. */
function isPastDeadline(kind: Redriven, cycle: string, today: IsoDate, policy: Policy): boolean {
  const day = policy.delivery[kind].deadlineDayOfMonth;
  return day !== undefined && cycleOf(today) >= cycle && today > `${cycle}-${String(day).padStart(2, '0')}`;
}
