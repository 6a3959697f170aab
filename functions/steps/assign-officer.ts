import { pickOfficer } from '../core/assignment.ts';
import { addDays, endOfLocalDay } from '../core/dates.ts';
import { EmployerNotFoundError } from '../commons/errors.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import { ids } from '../commons/ids.ts';
import type { Assignment, EscalationInput } from './payloads.ts';
import { recordReferralPack } from './referral-pack.ts';
import type { z } from 'zod';
import type { taskSpecSchema } from './payloads.ts';

/**
 * Picks the officer for the stage's task (continuity first, then commune ownership and load) and
 * fixes the task's due date; the waiting state times out at the end of that day.
 */
export async function assignOfficer(
  deps: Ports<'ledgers' | 'casework' | 'claims' | 'officers' | 'clock' | 'policyFor'>,
  input: EscalationInput & { task: z.infer<typeof taskSpecSchema>; escalateFrom?: { officerId: string } | undefined },
): Promise<Assignment> {
  const today = todayFor(deps, input.asOf);
  const policy = deps.policyFor(today);
  const ledger = await deps.ledgers.getLedger(input.unitCode);
  if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
  const { district, commune } = ledger.employer;
  const officers = await deps.officers.officersInDistrict(district);
  // A task past its due date goes to the policy's role (the team lead), due a few days later.
  const escalation = input.escalateFrom ? policy.taskEscalation : undefined;
  const role = escalation?.role ?? input.task.role;
  const dueDays = escalation?.dueDays ?? input.task.dueDays;
  const current = input.escalateFrom
    ? officers.find((o) => o.officerId === input.escalateFrom!.officerId)?.teamLeadId
    : input.task.role === 'inspector' ? ledger.case?.inspectorId : ledger.case?.officerId;
  const officer = pickOfficer({ role, district, commune, currentOfficerId: current }, officers);
  const at = deps.clock.now().toISOString();
  if (!officer) {
    await deps.casework.appendEvent({
      unitCode: input.unitCode, cycle: input.cycle, at, kind: 'no-officer-available', actor: 'system',
      detail: { taskType: input.task.type, escalated: escalation !== undefined, role, district },
    });
    return { assigned: false, reason: `no active ${role} in the unit's district` };
  }
  if (ledger.case && !escalation) {
    await deps.casework.putCase({ ...ledger.case, ...(input.task.role === 'inspector' ? { inspectorId: officer.officerId } : { officerId: officer.officerId }), updatedAt: at });
  }
  const dueDate = addDays(today, dueDays);
  const timeoutSeconds = Math.max(1, Math.ceil((endOfLocalDay(dueDate, policy.timeZone).getTime() - deps.clock.now().getTime()) / 1000));
  const escalated = escalation !== undefined;
  const taskId = ids.caseTask({ unitCode: input.unitCode, cycle: input.cycle, type: input.task.type, escalated });
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at, kind: 'officer-assigned', actor: 'system',
    detail: {
      taskId, taskType: input.task.type, escalated, role, officerId: officer.officerId, continuity: officer.officerId === current, dueDate,
      escalatedFrom: input.escalateFrom?.officerId ?? null,
    },
  });
  // The inspector's task opens next: the referral pack they take to the unit is built now, and
  // its hash goes on the case history (a team lead covering an overdue inspection uses the same pack).
  if (input.task.type === 'inspection' && !escalation) {
    await recordReferralPack(deps, { ...input, today, inspection: { taskId, inspectorId: officer.officerId, dueDate } });
  }
  return {
    assigned: true,
    officerId: officer.officerId,
    taskId,
    taskType: input.task.type,
    escalated,
    role,
    dueDate,
    timeoutSeconds,
  };
}
