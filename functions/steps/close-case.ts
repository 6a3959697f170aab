import type { Ports } from '../commons/deps.ts';
import { todayFor } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';

/** The debt is cleared: the case closes (once) and the closing is recorded. */
export async function closeCase(deps: Ports<'ledgers' | 'casework' | 'clock'>, input: EscalationInput & { reason: string; actor: string }): Promise<{ closed: boolean }> {
  const ledger = await deps.ledgers.getLedger(input.unitCode);
  const open = ledger.case?.status === 'open' ? ledger.case : undefined;
  if (!open) return { closed: false };
  const at = deps.clock.now().toISOString();
  const today = todayFor(deps, input.asOf);
  await deps.casework.putCase({ ...open, status: 'closed', closedOn: today, closeReason: input.reason, monthsOverdue: 0, debt: 0, cycle: input.cycle, updatedAt: at });
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at, kind: 'case-closed', actor: input.actor, detail: { reason: input.reason, stage: open.stage },
  });
  return { closed: true };
}
