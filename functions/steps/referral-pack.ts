import { createHash } from 'node:crypto';
import { buildReferralPack, type ReferralPack } from '../core/referral-pack.ts';
import { EmployerNotFoundError } from '../commons/errors.ts';
import { logger } from '../commons/logger.ts';
import type { Ports } from '../commons/deps.ts';
import type { EscalationInput } from './payloads.ts';

/**
 * The inspector's referral pack: the store reads (ledger and profile, notices, case history) for
 * the pure builder in core/referral-pack.ts, and its SHA-256: the hash of the JSON as built, so a
 * printed or stored copy can be checked against the one recorded on the case.
 */

export interface BuiltReferralPack {
  pack: ReferralPack;
  json: string;
  sha256: string;
}

export async function loadReferralPack(
  deps: Ports<'ledgers' | 'casework' | 'claims' | 'clock' | 'policyFor'>,
  input: { unitCode: string; asOf: string; inspection?: ReferralPack['inspection'] | undefined },
): Promise<BuiltReferralPack> {
  const policy = deps.policyFor(input.asOf);
  const [ledger, notices, events] = await Promise.all([
    deps.ledgers.getLedger(input.unitCode, (m) => logger.warn('Malformed ledger item', { ...m })),
    deps.claims.noticesOf(input.unitCode),
    deps.casework.caseHistory(input.unitCode),
  ]);
  if (!ledger.employer) throw new EmployerNotFoundError(input.unitCode);
  const pack = buildReferralPack({
    asOf: input.asOf,
    unit: ledger.employer,
    case: ledger.case,
    periods: ledger.periods,
    payments: ledger.payments,
    notices,
    events,
    hold: ledger.hold,
    inspection: input.inspection ?? undefined,
  }, policy);
  const json = JSON.stringify(pack, null, 2);
  return { pack, json, sha256: createHash('sha256').update(json).digest('hex') };
}

/**
 * Builds the pack as an inspection task opens and records on the case that it was built, with its
 * hash and never its content (the case history carries no personal data). Once per cycle: a
 * retried step finds the event already there.
 */
export async function recordReferralPack(
  deps: Ports<'ledgers' | 'casework' | 'claims' | 'clock' | 'policyFor'>,
  input: EscalationInput & { today: string; inspection: NonNullable<ReferralPack['inspection']> },
): Promise<{ sha256: string }> {
  const { pack, sha256 } = await loadReferralPack(deps, { unitCode: input.unitCode, asOf: input.today, inspection: input.inspection });
  await deps.casework.appendEvent({
    unitCode: input.unitCode, cycle: input.cycle, at: deps.clock.now().toISOString(), kind: 'referral-pack-built', actor: 'system',
    detail: { taskId: input.inspection.taskId, taskType: 'inspection', escalated: false, inspectorId: input.inspection.inspectorId, sha256, asOf: pack.asOf },
  });
  logger.info('Referral pack built', { unitCode: input.unitCode, cycle: input.cycle });
  return { sha256 };
}
