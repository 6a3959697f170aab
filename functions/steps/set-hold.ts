import { cycleOf, holdProblem } from '../core/escalation.ts';
import { InvalidInputError } from '../commons/errors.ts';
import type { Ports } from '../commons/deps.ts';
import type { HoldRecord } from '../commons/records.ts';

/**
 * Puts an employer's follow-up on hold (force majeure, dispute, insolvency, other) through an end
 * date the policy allows; notices and escalation pause and resume by themselves after it. The
 * note stays on the hold record; the case history records who, why and until when.
 */
export async function setHold(deps: Ports<'casework' | 'clock' | 'policyFor'>, input: Omit<HoldRecord, 'setAt'>): Promise<{ until: string }> {
  const now = deps.clock.now();
  const today = deps.clock.today();
  const problem = holdProblem(input, today, deps.policyFor(today));
  if (problem) throw new InvalidInputError([{ field: 'until', reason: problem }]);
  const hold: HoldRecord = { ...input, setAt: now.toISOString() };
  await deps.casework.putHold(hold);
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: cycleOf(today), at: hold.setAt, kind: 'hold-set', actor: input.setBy,
    detail: { reason: input.reason, until: input.until, hasNote: true, taskId: null },
  });
  return { until: input.until };
}

/** Lifts a hold before its end date; follow-up resumes at the next assessment. */
export async function clearHold(deps: Ports<'casework' | 'clock' | 'policyFor'>, input: { unitCode: string; actor: string }): Promise<{ cleared: boolean }> {
  const now = deps.clock.now();
  const cleared = await deps.casework.clearHold(input.unitCode);
  if (cleared) {
    await deps.casework.appendEvent({
      unitCode: input.unitCode, cycle: cycleOf(deps.clock.today()), at: now.toISOString(), kind: 'hold-cleared', actor: input.actor, detail: {},
    });
  }
  return { cleared };
}
