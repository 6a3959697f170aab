import { createHash } from 'node:crypto';
import { assessLedger, isPaused } from '../core/escalation.ts';
import { renderUrgingNotice } from '../core/notice.ts';
import { EmployerNotFoundError, NoticeInProgressError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';

export type NoticeOutcome = { outcome: 'sent'; messageId: string } | { outcome: 'already-sent' } | { outcome: 'not-needed' } | { outcome: 'on-hold' };

/**
 * Sends the cycle's urging notice at most once: claim it with a conditional write, re-read the
 * ledger right before sending (a unit that just paid gets nothing), send, then record the send.
 */
export async function sendNotice(deps: Ports<'ledgers' | 'casework' | 'claims' | 'mailer' | 'clock' | 'policyFor'>, input: EscalationInput): Promise<NoticeOutcome> {
  const today = todayFor(deps, input.asOf);
  const policy = deps.policyFor(today);
  const message = { message: 'urging', unitCode: input.unitCode, cycle: input.cycle } as const;
  const claim = await deps.claims.claim(message, deps.clock.now(), policy.notice.claimStaleAfterMinutes);
  if (claim === 'already-sent') return { outcome: 'already-sent' };
  if (claim === 'in-progress') throw new NoticeInProgressError(`Notice ${input.unitCode}/${input.cycle} is being sent by another worker`);

  const ledger = await deps.ledgers.getLedger(input.unitCode);
  if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
  const { status, decision } = assessLedger(ledger, today, policy, true);
  if (isPaused(decision)) {
    // Released, not spent: if the hold is lifted or the promise missed this cycle, the notice can still go.
    await deps.claims.complete(message, { status: 'held' });
    return { outcome: 'on-hold' };
  }
  if (decision.action !== 'escalate') {
    await deps.claims.complete(message, { status: 'not-needed' });
    return { outcome: 'not-needed' };
  }

  const employer = ledger.employer;
  const notice = renderUrgingNotice(employer, status, decision.stage, today, policy, decision.missed);
  const messageId = await deps.mailer.send({ from: policy.notice.sender, to: employer.email, subject: notice.subject, body: notice.body })
    .catch(async (error: unknown) => {
      // Nothing was sent: release the claim so the retry can send.
      await deps.claims.complete(message, { status: 'failed' });
      throw error;
    });
  const contentSha256 = createHash('sha256').update(`${notice.subject}\n${notice.body}`).digest('hex');
  const sentAt = deps.clock.now().toISOString();
  await deps.claims.complete(message, { status: 'sent', sentAt, messageId, contentSha256, stage: decision.stage.stage, debt: status.debt });
  await deps.casework.appendEvent({
    unitCode: input.unitCode,
    cycle: input.cycle,
    at: sentAt,
    kind: 'notice-sent',
    actor: 'system',
    detail: {
      channel: 'email', stage: decision.stage.stage, debt: status.debt, interest: status.interestOutstanding, payBy: notice.payBy, messageId, contentSha256,
      missedInstalment: decision.missed ?? null,
    },
  });
  emitMetrics([{ metric: 'noticesSent', value: 1 }]);
  logger.info('Urging notice sent', { unitCode: input.unitCode, cycle: input.cycle, stage: decision.stage.stage });
  return { outcome: 'sent', messageId };
}
