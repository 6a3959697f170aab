import { ledgerStatus } from '../core/ledger.ts';
import { cycleOf } from '../core/escalation.ts';
import type { Ports } from '../commons/deps.ts';
import type { PaymentRecord } from '../commons/records.ts';

/**
 * After a payment's reversal is written (core/correction.ts), the unit's history says so: the
 * payment, its amount and the debt without it, and the file and line the reversal came from. The
 * event goes on the open case's cycle, else today's: a case the payment closed is not reopened
 * here; the next monthly run finds the debt and starts a new escalation, after this event. Nothing
 * is sent: a notice of the cycle already sent stands, and the next statement shows the debt.
 */
export async function recordReversal(
  deps: Ports<'ledgers' | 'casework' | 'clock' | 'policyFor'>,
  input: { payment: PaymentRecord; source: string; line: number; actor: string },
): Promise<{ debt: number }> {
  const { payment, source, line, actor } = input;
  const today = deps.clock.today();
  const ledger = await deps.ledgers.getLedger(payment.unitCode);
  const { debt } = ledgerStatus(ledger.periods, ledger.payments, today, deps.policyFor(today));
  const cycle = ledger.case?.status === 'open' ? ledger.case.cycle : cycleOf(today);
  await deps.casework.appendEvent({
    unitCode: payment.unitCode, cycle, at: deps.clock.now().toISOString(), kind: 'payment-reversed', actor,
    detail: { reference: payment.reference, paidOn: payment.paidOn, amount: payment.amount, debtAfter: debt, source, line },
  });
  return { debt };
}
