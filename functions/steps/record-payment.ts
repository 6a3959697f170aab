import { ledgerStatus, type LedgerStatus } from '../core/ledger.ts';
import { cycleOf } from '../core/escalation.ts';
import { renderOfficerTaskClosed, renderPaymentConfirmation } from '../core/notice.ts';
import { logger } from '../commons/logger.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import type { Employer, Officer, PaymentRecord, TaskRecord } from '../commons/records.ts';
import type { ImportProvenance } from '../commons/store.ts';
import type { Delivery } from '../core/delivery-tally.ts';
import { closeCase } from './close-case.ts';
import { deliverOnce } from './deliver-once.ts';
import type { Policy } from '../core/policy.ts';
import type { TaskResult } from './payloads.ts';

export interface PaymentResult {
  outcome: 'recorded' | 'duplicate';
  /** What the unit still owes today after this payment. */
  debt: number;
  /** Whether the payment ended an escalation under way. */
  escalation: 'ended' | 'continues' | 'none';
}

/**
 * Records a payment (once per reference) and acts on it at once: the employer gets a
 * confirmation, and if the debt is now cleared the escalation ends: every open task of the case's
 * cycle (the officer's, the team lead's, the inspector's) is closed and its workflow resumed with
 * "paid" (which closes the case), its officer told; with no workflow waiting the case is closed
 * here. Repeating the same payment changes and sends nothing.
 */
export async function recordPayment(
  deps: Ports<'ledgers' | 'casework' | 'tasks' | 'officers' | 'claims' | 'workflow' | 'mailer' | 'clock' | 'office' | 'policyFor'>,
  /** `provenance`: a collection file's version and line (an import: functions/import/repeat-guard.ts). */
  input: PaymentRecord & { actor: string; provenance?: ImportProvenance },
): Promise<PaymentResult> {
  const { actor, provenance, ...payment } = input;
  const outcome = await deps.ledgers.recordPayment(payment, provenance);
  const today = todayFor(deps, payment.paidOn);
  const policy = deps.policyFor(today);
  const ledger = await deps.ledgers.getLedger(payment.unitCode);
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const openCase = ledger.case?.status === 'open' ? ledger.case : undefined;

  // Every step below is idempotent, so the same payment recorded again (a retry after a crash, the
  // bank file imported twice) finishes what the first attempt started and sends nothing twice.
  const at = deps.clock.now().toISOString();
  await deps.casework.appendEvent({
    unitCode: payment.unitCode, cycle: openCase?.cycle ?? cycleOf(today), at, kind: 'payment-recorded', actor,
    detail: { reference: payment.reference, paidOn: payment.paidOn, amount: payment.amount, debtAfter: status.debt },
  });
  // Not sent now (SES down), a confirmation or an officer's email waits for the redrive.
  if (ledger.employer) await confirmPayment(deps, ledger.employer, payment, status, policy);
  if (!openCase) return { outcome, debt: status.debt, escalation: 'none' };
  if (status.monthsOverdue > 0) return { outcome, debt: status.debt, escalation: 'continues' };

  let resumed = false;
  for (const waiting of await deps.tasks.tasksOfCase(payment.unitCode, openCase.cycle)) {
    const task = waiting.status === 'open'
      ? await deps.tasks.closeTask(waiting.taskId, { status: 'cancelled', outcome: 'paid', note: `payment ${payment.reference}`, closedAt: at, closedBy: actor, closedByPayment: payment.reference })
      : waiting.closedByPayment === payment.reference ? waiting : undefined;
    if (!task) continue;
    const result: TaskResult = { taskId: task.taskId, outcome: 'paid', officerId: task.officerId };
    if ((await deps.workflow.resumeTask(task.token, result)) === 'resumed') resumed = true;
    const officer = await deps.officers.getOfficer(task.officerId);
    if (officer) await tellOfficerClosed(deps, task, officer, payment.reference, policy);
    await deps.casework.appendEvent({
      unitCode: payment.unitCode, cycle: openCase.cycle, at, kind: 'task-closed-by-payment', actor,
      detail: { taskId: task.taskId, taskType: task.type, escalated: task.escalated, officerId: task.officerId, reference: payment.reference },
    });
  }
  // With a workflow resumed, it closes the case itself; otherwise nothing is waiting, close it here.
  if (!resumed) await closeCase(deps, { unitCode: payment.unitCode, cycle: openCase.cycle, asOf: today, reason: 'debt-cleared', actor });
  logger.info('Payment ended escalation', { unitCode: payment.unitCode, resumed });
  return { outcome, debt: status.debt, escalation: 'ended' };
}

/** The employer's confirmation of a recorded payment, once. */
export async function confirmPayment(
  deps: Ports<'claims' | 'mailer' | 'clock' | 'office'>, employer: Employer, payment: PaymentRecord, status: LedgerStatus, policy: Policy,
): Promise<Delivery> {
  const confirmation = renderPaymentConfirmation(employer, payment, status, policy);
  const { delivery } = await deliverOnce(deps, policy, { message: 'payment-confirmation', unitCode: payment.unitCode, reference: payment.reference },
    policy.notice.claimStaleAfterMinutes, async () => ({ send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: employer.email, ...confirmation, claim }) }));
  return delivery;
}

/** The officer whose waiting task a payment closed is told, once. */
export async function tellOfficerClosed(deps: Ports<'claims' | 'mailer' | 'clock' | 'office'>, task: TaskRecord, officer: Officer, reference: string, policy: Policy): Promise<Delivery> {
  const told = renderOfficerTaskClosed({ unitCode: task.unitCode, taskId: task.taskId, reference }, 'vi', policy);
  const { delivery } = await deliverOnce(deps, policy, { message: 'officer-email', taskId: task.taskId, purpose: 'task-closed-by-payment' },
    policy.notice.claimStaleAfterMinutes, async () => ({ send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: officer.email, ...told, claim }) }));
  return delivery;
}
