import { ratesOn } from '../core/contribution.ts';
import { addMonths, periodIndex, type IsoDate } from '../core/dates.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import { NotFoundError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import type { RenewalRecord } from '../commons/reminder-records.ts';
import type { ImportProvenance } from '../commons/store.ts';
import { scheduleCycle } from './schedule-cycle.ts';

export interface RenewalResult {
  outcome: 'recorded' | 'duplicate';
  /** The last day of cover after the renewal. */
  coveredUntil: IsoDate | null;
  /** The next reminder date of the new cycle (null: none ahead). */
  nextReminderOn: IsoDate | null;
  /** Whether it closed the collection agent's open visit. */
  agentTaskClosed: boolean;
}

/**
 * Records a renewal (once per reference) and acts on it at once: the participant's paid-through
 * month or the household's cards move on, the cycle it renews leaves the reminder index (no
 * further reminder of that cycle goes out, even from a run already under way: the run re-reads
 * the cycle right before each send), the new cycle is scheduled, and an open agent's visit for the
 * renewed cycle is closed as "renewed". The same renewal again changes nothing.
 */
export async function recordRenewal(
  deps: Ports<'reminders' | 'tasks' | 'clock' | 'policyFor'>,
  /** `provenance`: a renewals file's version and line (an import: functions/import/repeat-guard.ts). */
  input: RenewalRecord & { actor: string; provenance?: ImportProvenance },
): Promise<RenewalResult> {
  const { actor, provenance, ...renewal } = input;
  const store = deps.reminders;
  const today = todayFor(deps, renewal.paidOn);
  const policy = deps.policyFor(today).reminders;
  const before = await store.getPayer(renewal.kind, renewal.code);
  if (!before.participant && !before.household) throw new NotFoundError(`No ${renewal.kind === 'vsi' ? 'participant' : 'household'} with that code`);
  const outcome = await store.putRenewal(renewal, provenance);
  if (outcome === 'duplicate') {
    const current = before.cycles.filter((c) => c.status === 'open').at(-1);
    return { outcome, coveredUntil: current?.coveredUntil ?? null, nextReminderOn: current?.nextReminderOn ?? null, agentTaskClosed: false };
  }

  if (renewal.kind === 'vsi' && renewal.paidThrough && before.participant) {
    const p = before.participant;
    const from = addMonths(p.paidThrough, 1);
    const months = periodIndex(renewal.paidThrough) - periodIndex(from) + 1;
    const max = ratesOn(policy.vsi.rates, `${from}-01`).supportMaxMonths;
    const supported = Math.max(0, Math.min(months, max - p.supportMonthsUsed));
    await store.extendPaidThrough(p.siCode, renewal.paidThrough, supported);
  }
  if (renewal.kind === 'hi' && renewal.expiresOn) {
    for (const card of before.cards) await store.extendCard(card.householdCode, card.siCode, renewal.expiresOn);
  }

  // Renewed cycles leave the index at once; the new one is scheduled.
  const renewed = before.cycles.filter((c) => c.status === 'open');
  const scheduled = await scheduleCycle(deps, renewal.kind, renewal.code, today);
  let agentTaskClosed = false;
  for (const cycle of renewed) {
    if (scheduled && cycle.coveredUntil >= scheduled.coveredUntil) continue;
    await store.markRenewed(cycle, renewal.paidOn);
    if (cycle.agentTaskId) {
      const closed = await deps.tasks.closeTask(cycle.agentTaskId, { status: 'done', outcome: 'renewed', closedAt: deps.clock.now().toISOString(), closedBy: actor });
      agentTaskClosed ||= closed !== undefined;
    }
  }
  logger.info('Renewal recorded', { kind: renewal.kind, agentTaskClosed });
  return { outcome, coveredUntil: scheduled?.coveredUntil ?? null, nextReminderOn: scheduled?.next ?? null, agentTaskClosed };
}
