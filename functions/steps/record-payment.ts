import { ledgerStatus } from '../core/ledger.ts';
import { cycleOf } from '../core/escalation.ts';
import { renderOfficerTaskClosed, renderPaymentConfirmation } from '../core/notice.ts';
import { logger } from '../commons/logger.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import type { PaymentRecord } from '../commons/records.ts';
import { closeCase } from './close-case.ts';
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
  deps: Ports<'ledgers' | 'casework' | 'tasks' | 'officers' | 'workflow' | 'mailer' | 'clock' | 'policyFor'>,
  input: PaymentRecord & { actor: string },
): Promise<PaymentResult> {
  const { actor, ...payment } = input;
  const outcome = await deps.ledgers.recordPayment(payment);
  const today = todayFor(deps, payment.paidOn);
  const policy = deps.policyFor(today);
  const ledger = await deps.ledgers.getLedger(payment.unitCode);
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const openCase = ledger.case?.status === 'open' ? ledger.case : undefined;
  if (outcome === 'duplicate') return { outcome, debt: status.debt, escalation: openCase ? 'continues' : 'none' };

  const at = deps.clock.now().toISOString();
  await deps.casework.appendEvent({
    unitCode: payment.unitCode, cycle: openCase?.cycle ?? cycleOf(today), at, kind: 'payment-recorded', actor,
    detail: { reference: payment.reference, paidOn: payment.paidOn, amount: payment.amount, debtAfter: status.debt },
  });
  if (ledger.employer) {
    const confirmation = renderPaymentConfirmation(ledger.employer, payment, status, policy);
    await deps.mailer.send({ from: policy.notice.sender, to: ledger.employer.email, ...confirmation });
  }
  if (!openCase) return { outcome, debt: status.debt, escalation: 'none' };
  if (status.monthsOverdue > 0) return { outcome, debt: status.debt, escalation: 'continues' };

  let resumed = false;
  const waiting = (await deps.tasks.tasksOfCase(payment.unitCode, openCase.cycle)).filter((t) => t.status === 'open');
  for (const open of waiting) {
    const task = await deps.tasks.closeTask(open.taskId, { status: 'cancelled', outcome: 'paid', note: `payment ${payment.reference}`, closedAt: at, closedBy: actor });
    if (!task) continue;
    const result: TaskResult = { taskId: task.taskId, outcome: 'paid', officerId: task.officerId };
    if ((await deps.workflow.resumeTask(task.token, result)) === 'resumed') resumed = true;
    const officer = await deps.officers.getOfficer(task.officerId);
    if (officer) {
      const told = renderOfficerTaskClosed({ unitCode: payment.unitCode, taskId: task.taskId, reference: payment.reference }, 'vi', policy);
      await deps.mailer.send({ from: policy.notice.sender, to: officer.email, ...told });
    }
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
