import { ledgerStatus } from '../core/ledger.ts';
import { decideEscalation } from '../core/escalation.ts';
import { EmployerNotFoundError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { todayFor, type Deps } from '../commons/deps.ts';
import type { Assessment, EscalationInput } from './payloads.ts';

/**
 * Re-reads the employer's ledger and decides where the escalation stands today. Runs first in
 * every execution and again after an officer's outcome, so a payment ends the escalation at once.
 */
export async function assessCase(deps: Deps, input: EscalationInput & { phase: 'start' | 'after-outcome' }): Promise<Assessment> {
  const today = todayFor(deps, input.asOf);
  const policy = deps.policyFor(today);
  const ledger = await deps.store.getLedger(input.unitCode, (m) => logger.warn('Malformed ledger item', { ...m }));
  if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const openCase = ledger.case?.status === 'open' ? ledger.case : undefined;
  const decision = decideEscalation(status, true, policy, ledger.hold);
  if (decision.action === 'hold') {
    await deps.store.appendEvent({
      unitCode: input.unitCode, cycle: input.cycle, at: deps.now().toISOString(), kind: `on-hold-${input.phase}`, actor: 'system',
      detail: { reason: decision.reason, until: decision.until, monthsOverdue: decision.monthsOverdue, debt: decision.debt },
    });
    return { cleared: false, onHold: true, stage: null, monthsOverdue: decision.monthsOverdue, debt: decision.debt, anchorPeriod: status.oldestUnpaidPeriod, needsTask: false, task: null };
  }
  if (decision.action !== 'escalate') {
    return { cleared: true, onHold: false, stage: null, monthsOverdue: 0, debt: status.debt, anchorPeriod: null, needsTask: false, task: null };
  }
  const at = deps.now().toISOString();
  await deps.store.putCase({
    unitCode: input.unitCode,
    status: 'open',
    stage: decision.stage.stage,
    anchorPeriod: decision.anchorPeriod,
    monthsOverdue: decision.monthsOverdue,
    debt: decision.debt,
    officerId: openCase?.officerId,
    inspectorId: openCase?.inspectorId,
    cycle: input.cycle,
    openedOn: openCase?.openedOn ?? today,
    updatedAt: at,
  });
  await deps.store.appendEvent({
    unitCode: input.unitCode,
    cycle: input.cycle,
    at,
    kind: `assessed-${input.phase}`,
    actor: 'system',
    detail: { stage: decision.stage.stage, anchorPeriod: decision.anchorPeriod, monthsOverdue: decision.monthsOverdue, debt: decision.debt, asOf: today, policy: policy.version },
  });
  return {
    cleared: false,
    onHold: false,
    stage: decision.stage.stage,
    monthsOverdue: decision.monthsOverdue,
    debt: decision.debt,
    anchorPeriod: decision.anchorPeriod,
    needsTask: decision.stage.task !== undefined,
    task: decision.stage.task ?? null,
  };
}
