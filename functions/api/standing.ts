import { ledgerStatus } from '../core/ledger.ts';
import { priorityOf, type Priority } from '../core/priority.ts';
import type { CaseEvent } from '../core/case-events.ts';
import type { Deps } from '../commons/deps.ts';
import type { CaseRecord } from '../commons/records.ts';
import type { EmployerLedger } from '../commons/store.ts';

/** What a unit contributes to the worklist and the case page: the debt of the day, the stage and the priority. */
export interface UnitStanding {
  debt: number;
  monthsOverdue: number;
  stage: CaseRecord['stage'];
  priority: Priority;
}

/** The standing of a unit from its ledger and history, as of the office's today. */
export function standingOf(deps: Pick<Deps, 'clock' | 'policyFor'>, ledger: EmployerLedger, history: readonly CaseEvent[]): UnitStanding {
  const today = deps.clock.today();
  const policy = deps.policyFor(today);
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  return {
    debt: status.debt,
    monthsOverdue: status.monthsOverdue,
    stage: ledger.case?.status === 'open' ? ledger.case.stage : null,
    priority: priorityOf({ periods: ledger.periods, payments: ledger.payments, arrangement: ledger.arrangement, history, status }, today, policy),
  };
}

