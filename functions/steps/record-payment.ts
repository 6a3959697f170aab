import { SendTaskSuccessCommand, TaskTimedOut, InvalidToken } from '@aws-sdk/client-sfn';
import { ledgerStatus } from '../core/ledger.ts';
import { cycleOf } from '../core/escalation.ts';
import { renderOfficerTaskClosed, renderPaymentConfirmation } from '../core/notice.ts';
import { TASK_TYPES } from '../core/policy.ts';
import { logger } from '../commons/logger.ts';
import { sendEmail } from '../commons/mailer.ts';
import { todayFor, type Deps } from '../commons/deps.ts';
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
 * confirmation, and if the debt is now cleared the escalation ends: a waiting officer's task is
 * closed and its workflow resumed with "paid" (which closes the case), the officer is told; with
 * no task waiting the case is closed here. Repeating the same payment changes and sends nothing.
 */
export async function recordPayment(deps: Deps, input: PaymentRecord & { actor: string }): Promise<PaymentResult> {
  const { actor, ...payment } = input;
  const outcome = await deps.store.recordPayment(payment);
  const today = todayFor(deps, payment.paidOn);
  const policy = deps.policyFor(today);
  const ledger = await deps.store.getLedger(payment.unitCode);
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const openCase = ledger.case?.status === 'open' ? ledger.case : undefined;
  if (outcome === 'duplicate') return { outcome, debt: status.debt, escalation: openCase ? 'continues' : 'none' };

  const at = deps.now().toISOString();
  await deps.store.appendEvent({
    unitCode: payment.unitCode, cycle: openCase?.cycle ?? cycleOf(today), at, kind: `payment-recorded-${payment.reference}`, actor,
    detail: { reference: payment.reference, paidOn: payment.paidOn, amount: payment.amount, debtAfter: status.debt },
  });
  if (ledger.employer) {
    const confirmation = renderPaymentConfirmation(ledger.employer, payment, status, policy);
    await sendEmail(deps.ses, { from: policy.notice.sender, to: ledger.employer.email, ...confirmation });
  }
  if (!openCase) return { outcome, debt: status.debt, escalation: 'none' };
  if (status.monthsOverdue > 0) return { outcome, debt: status.debt, escalation: 'continues' };

  let resumed = false;
  for (const type of TASK_TYPES) {
    const taskId = `${payment.unitCode}-${openCase.cycle}-${type}`;
    const task = await deps.store.closeTask(taskId, { status: 'cancelled', outcome: 'paid', note: `payment ${payment.reference}`, closedAt: at, closedBy: actor });
    if (!task) continue;
    const result: TaskResult = { taskId, outcome: 'paid', officerId: task.officerId };
    try {
      await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: task.token, output: JSON.stringify(result) }));
      resumed = true;
    } catch (error) {
      if (!(error instanceof TaskTimedOut || error instanceof InvalidToken)) throw error;
    }
    const officer = await deps.store.getOfficer(task.officerId);
    if (officer) {
      const told = renderOfficerTaskClosed({ unitCode: payment.unitCode, taskId, reference: payment.reference }, 'vi', policy);
      await sendEmail(deps.ses, { from: policy.notice.sender, to: officer.email, ...told });
    }
    await deps.store.appendEvent({
      unitCode: payment.unitCode, cycle: openCase.cycle, at, kind: `task-closed-by-payment-${type}`, actor, detail: { taskId, officerId: task.officerId, reference: payment.reference },
    });
  }
  // With a workflow resumed, it closes the case itself; otherwise nothing is waiting, close it here.
  if (!resumed) await closeCase(deps, { unitCode: payment.unitCode, cycle: openCase.cycle, asOf: today, reason: 'debt-cleared', actor });
  logger.info('Payment ended escalation', { unitCode: payment.unitCode, resumed });
  return { outcome, debt: status.debt, escalation: 'ended' };
}
