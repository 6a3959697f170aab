import { createHash } from 'node:crypto';
import { assessLedger, isPaused, type EscalationDecision } from '../core/escalation.ts';
import { renderUrgingNotice } from '../core/notice.ts';
import { EmployerNotFoundError, NoticeDeliveryError, NoticeInProgressError } from '../commons/errors.ts';
import type { StageName } from '../core/policy.ts';
import { deliverOnce } from './deliver-once.ts';
import { contactOfficer, letterFor } from './letter.ts';
import { logger } from '../commons/logger.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { todayFor, type Ports } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';

export type NoticeOutcome = { outcome: 'sent'; messageId: string } | { outcome: 'already-sent' } | { outcome: 'not-needed' } | { outcome: 'on-hold' };

/**
 * Sends the cycle's urging notice at most once: claim it with a conditional write, re-read the
 * ledger right before sending (a unit that just paid gets nothing), send, then record the send.
 */
export async function sendNotice(deps: Ports<'ledgers' | 'casework' | 'officers' | 'claims' | 'mailer' | 'clock' | 'office' | 'policyFor'>, input: EscalationInput): Promise<NoticeOutcome> {
  const today = todayFor(deps, input.asOf);
  const policy = deps.policyFor(today);
  let sent: { stage: StageName; debt: number; interest: number; payBy: string; contentSha256: string; missed: Extract<EscalationDecision, { action: 'escalate' }>['missed'] } | undefined;
  const result = await deliverOnce(deps, policy, { message: 'urging', unitCode: input.unitCode, cycle: input.cycle }, policy.notice.claimStaleAfterMinutes, async () => {
    const ledger = await deps.ledgers.getLedger(input.unitCode);
    if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
    const { status, decision } = assessLedger(ledger, today, policy, true);
    // Held is released, not spent: if the hold is lifted or the promise missed this cycle, the notice can still go.
    if (isPaused(decision)) return { skip: 'held' };
    if (decision.action !== 'escalate') return { skip: 'notNeeded' };
    const employer = ledger.employer;
    const letter = letterFor(deps, { kind: 'urging', unitCode: input.unitCode, cycle: input.cycle }, await contactOfficer(deps, ledger.case));
    const notice = renderUrgingNotice(employer, status, decision.stage, today, policy, letter, decision.missed);
    const contentSha256 = createHash('sha256').update(`${notice.subject}\n${notice.body}`).digest('hex');
    sent = { stage: decision.stage.stage, debt: status.debt, interest: status.interestOutstanding, payBy: notice.payBy, contentSha256, missed: decision.missed };
    return {
      send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: employer.email, subject: notice.subject, body: notice.body, claim }),
      evidence: { contentSha256, stage: decision.stage.stage, debt: status.debt },
    };
  });
  switch (result.delivery) {
    case 'alreadySent': return { outcome: 'already-sent' };
    case 'inProgress': throw new NoticeInProgressError(`Notice ${input.unitCode}/${input.cycle} is being sent by another worker`);
    case 'held': return { outcome: 'on-hold' };
    case 'notNeeded': return { outcome: 'not-needed' };
    case 'sent': break;
    // Not sent: the workflow's retry (and then the redrive) sends it again; a refusal ends in RecordFailure.
    default: throw new NoticeDeliveryError(result.providerError ?? result.delivery);
  }
  const messageId = result.messageId!;
  const notice = sent!;
  const sentAt = deps.clock.now().toISOString();
  await deps.casework.appendEvent({
    unitCode: input.unitCode,
    cycle: input.cycle,
    at: sentAt,
    kind: 'notice-sent',
    actor: 'system',
    detail: {
      channel: 'email', stage: notice.stage, debt: notice.debt, interest: notice.interest, payBy: notice.payBy, messageId, contentSha256: notice.contentSha256,
      missedInstalment: notice.missed ?? null,
    },
  });
  emitMetrics([{ metric: 'noticesSent', value: 1 }]);
  logger.info('Urging notice sent', { unitCode: input.unitCode, cycle: input.cycle, stage: notice.stage });
  return { outcome: 'sent', messageId };
}
