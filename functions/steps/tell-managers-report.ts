import type { Ports } from '../commons/deps.ts';
import { logger } from '../commons/logger.ts';
import { reportHeadline, type CollectionReport } from '../core/collection-report.ts';
import { emptyTally, type DeliveryTally } from '../core/delivery-tally.ts';
import { renderManagerCollectionReport } from '../core/notice.ts';
import type { Policy } from '../core/policy.ts';
import { deliverOnce } from './deliver-once.ts';

/**
 * Each active manager of the office (enabled in the staff directory's `manager` group, with an
 * email) is told once of the collection report of a date: its headline figures (debt ratio,
 * arrears, collected against the year's plan) and the link that opens it in the inbox. One claim
 * per manager and report date (the claim → send → complete of steps/deliver-once.ts), so a rerun
 * of the report sends nothing more, and one whose send failed is sent by the next rerun. Figures
 * of the office only: no employer's data, and the log names no manager.
 */
export async function tellManagersOfReport(
  deps: Ports<'directory' | 'claims' | 'mailer' | 'clock' | 'office' | 'inbox'>, report: CollectionReport, policy: Policy,
): Promise<DeliveryTally> {
  const tally = emptyTally();
  const managers = await deps.directory.managers();
  const told = renderManagerCollectionReport({ ...reportHeadline(report), link: deps.inbox.reportUrl(report.asOf) }, 'vi', policy);
  for (const manager of managers) {
    const { delivery } = await deliverOnce(deps, policy, { message: 'manager-email', purpose: 'collection-report', managerId: manager.username, asOf: report.asOf },
      policy.notice.claimStaleAfterMinutes, async () => ({ send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: manager.email, ...told, claim }) }));
    tally[delivery]++;
  }
  logger.info('Managers told of the collection report', { asOf: report.asOf, managers: managers.length, sent: tally.sent, alreadySent: tally.alreadySent, failed: tally.failed + tally.pending + tally.refused });
  return tally;
}
