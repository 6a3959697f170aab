import { emptyTally, type Delivery, type DeliveryTally } from '../core/delivery-tally.ts';
import { contactOfficer, letterFor } from './letter.ts';
import { deliverOnce } from './deliver-once.ts';
import { createHash } from 'node:crypto';
import { ledgerStatus, type Payment } from '../core/ledger.ts';
import { arrangementStanding, type Arrangement } from '../core/arrangement.ts';
import { cycleOf } from '../core/escalation.ts';
import { type IsoDate } from '../core/dates.ts';
import { type Policy } from '../core/policy.ts';
import {
  decideDisclosure, disclosureListKey, parseDisclosureCsv, renderDisclosureCsv, type DisclosureEntry,
} from '../core/disclosure.ts';
import { renderPreDisclosureNotice } from '../core/notice.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart } from './scan-ledgers.ts';
import { type Ports } from '../commons/deps.ts';
import { CSV_CONTENT_TYPE, type DocumentStore } from '../commons/documents.ts';
import type { MalformedItem } from '../commons/store.ts';
import type { PublicationRecord } from '../commons/records.ts';
import { operations } from '../commons/operations.ts';
import { withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';

export interface DisclosureRunInput {
  /** The run date; by default today in the office's time zone. */
  asOf?: IsoDate | undefined;
}

export interface DisclosureSummary {
  date: IsoDate;
  cycle: string;
  policyVersion: string;
  unitsScanned: number;
  /** At or above both thresholds (months overdue and debt), on hold or not. */
  aboveThresholds: number;
  onHold: number;
  /** How each pre-disclosure notice ended (held: the unit went on hold since the scan). */
  notices: DeliveryTally;
  /** Notified, response window still open. */
  waiting: number;
  /** Notices that lapsed because the unit went below the thresholds. */
  lapsed: number;
  published: number;
  publishedDebt: number;
  /** This date's list was already published by an earlier run: kept as it was. */
  alreadyPublished: boolean;
  key: string;
  location: string;
  malformed: number;
  startedAt: string;
  finishedAt: string;
}


/**
 * The monthly disclosure run. One scan of every ledger decides, per unit, as of the run date:
 * send the pre-disclosure notice (claimed once), wait for the response window, let a notice lapse
 * (the unit paid), or publish. Each unit is re-read (consistent) right before it is notified or
 * listed, so a unit that just paid is neither. The list is written once per date, as an object
 * that is never replaced and a table record; each published unit's case history records it.
 */
export function runDisclosure(deps: Ports<'ledgers' | 'casework' | 'claims' | 'runs' | 'documents' | 'officers' | 'mailer' | 'clock' | 'office' | 'policyFor'>, input: DisclosureRunInput, lease: RunLeaseOptions = {}): Promise<DisclosureSummary> {
  const today = input.asOf ?? deps.clock.today();
  return withRunLease(deps, { name: 'disclosure', scope: cycleOf(today), kind: 'DISCLOSURE' }, lease, () => disclosure(deps, today));
}

async function disclosure(deps: Ports<'ledgers' | 'casework' | 'claims' | 'runs' | 'documents' | 'officers' | 'mailer' | 'clock' | 'office' | 'policyFor'>, today: IsoDate): Promise<DisclosureSummary> {
  const documents = deps.documents;
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(today);
  const cycle = cycleOf(today);
  const key = disclosureListKey(today);
  const s = {
    unitsScanned: 0, aboveThresholds: 0, onHold: 0, waiting: 0, lapsed: 0, malformed: 0,
    notices: emptyTally(),
  };
  const onMalformed = (m: MalformedItem) => {
    s.malformed++;
    logger.warn('Malformed item skipped', { ...m });
  };
  const entries: DisclosureEntry[] = [];
  const earlier = await deps.runs.getPublication(today);

  const notify = async (unitCode: string) => {
    const outcome = await sendPreDisclosureNotice(deps, unitCode, today, policy);
    s.notices[outcome]++;
  };
  const confirm = async (unitCode: string) => {
    // Fresh, consistent read: a payment since the scan takes the unit off the list.
    const ledger = await deps.ledgers.getLedger(unitCode);
    if (!ledger.employer) return;
    const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
    if (decideDisclosure(status, ledger.preDisclosure, ledger.hold, today, policy, standingOf(ledger, today, policy)).action !== 'publish') return;
    const e = ledger.employer;
    entries.push({ unitCode, name: e.name, taxCode: e.taxCode, district: e.district, monthsOverdue: status.monthsOverdue, debt: status.debt });
  };
  const lapse = async (unitCode: string) => {
    if (!(await deps.claims.lapsePreDisclosure(unitCode, today))) return;
    s.lapsed++;
    await deps.casework.appendEvent({ unitCode, cycle, at: deps.clock.now().toISOString(), kind: 'pre-disclosure-lapsed', actor: 'system:disclosure-run', detail: { on: today } });
  };

  await forEachLedger(deps, scanPart(), onMalformed, (ledger) => {
    if (!ledger.hasProfile) return;
    s.unitsScanned++;
    const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
    const decision = decideDisclosure(status, ledger.preDisclosure, ledger.hold, today, policy, standingOf(ledger, today, policy));
    // Paused: on hold, or keeping a promise or plan.
    if (decision.action === 'none' && decision.reason !== 'below-thresholds') { s.aboveThresholds++; s.onHold++; return; }
    if (decision.action === 'none') return;
    if (decision.action === 'lapse-notice') return lapse(ledger.unitCode);
    s.aboveThresholds++;
    if (decision.action === 'send-notice') return notify(ledger.unitCode);
    if (decision.action === 'wait') { s.waiting++; return; }
    if (!earlier) return confirm(ledger.unitCode);
  });

  const publication = earlier ?? (await publish(deps, documents, entries, today, policy));
  const summary: DisclosureSummary = {
    date: today, cycle, policyVersion: policy.version, ...s,
    published: publication.units, publishedDebt: publication.totalDebt, alreadyPublished: earlier !== undefined,
    key, location: documents.locate(key), startedAt, finishedAt: deps.clock.now().toISOString(),
  };
  await deps.runs.putRunSummary(cycle, { ...summary }, 'DISCLOSURE');
  logger.info('Disclosure run finished', { date: today, noticesSent: s.notices.sent, published: summary.published, alreadyPublished: summary.alreadyPublished });
  return summary;
}

/**
 * Publishes the date's list once. The object is written only if absent; if an earlier run wrote
 * it and stopped before recording it, the record is completed from that object, not from today's
 * reading, so the record always says what was published.
 */
async function publish(deps: Ports<'ledgers' | 'casework' | 'claims' | 'runs' | 'documents' | 'officers' | 'mailer' | 'clock' | 'office' | 'policyFor'>, documents: DocumentStore, entries: DisclosureEntry[], date: IsoDate, policy: Policy): Promise<PublicationRecord> {
  const key = disclosureListKey(date);
  let csv = renderDisclosureCsv(entries, policy);
  let listed: { unitCode: string; monthsOverdue: number; debt: number }[] = entries;
  if (!(await documents.putNew(key, csv, CSV_CONTENT_TYPE))) {
    const existing = await documents.get(key);
    if (existing === undefined) throw new Error(`Disclosure list ${key} exists but cannot be read`);
    csv = existing;
    listed = parseDisclosureCsv(existing);
  }
  const at = deps.clock.now().toISOString();
  const record: PublicationRecord = {
    date, cycle: cycleOf(date), key, units: listed.length, unitCodes: listed.map((l) => l.unitCode).sort(),
    totalDebt: listed.reduce((sum, l) => sum + l.debt, 0), contentSha256: createHash('sha256').update(csv).digest('hex'),
    policyVersion: policy.version, minMonthsOverdue: policy.disclosure.minMonthsOverdue, minDebt: policy.disclosure.minDebt, publishedAt: at,
  };
  const stored = (await deps.runs.putPublication(record)) ? record : ((await deps.runs.getPublication(date)) ?? record);
  for (const l of listed) {
    await deps.casework.appendEvent({
      unitCode: l.unitCode, cycle: record.cycle, at, kind: 'disclosure-published', actor: 'system:disclosure-run',
      detail: { date, key, monthsOverdue: l.monthsOverdue, debt: l.debt },
    });
  }
  return stored;
}


/**
 * The pre-disclosure notice, sent at most once: claim it (conditional write), re-read the ledger
 * and decide again (a unit that paid or got a hold gets nothing), send, record the send. An SES
 * failure releases the claim for the next run and does not stop this one.
 */
export async function sendPreDisclosureNotice(deps: Ports<'ledgers' | 'casework' | 'claims' | 'officers' | 'mailer' | 'clock' | 'office' | 'policyFor'>, unitCode: string, today: IsoDate, policy: Policy): Promise<Delivery> {
  let stated: { payBy: string; monthsOverdue: number; debt: number; contentSha256: string } | undefined;
  const result = await deliverOnce(deps, policy, { message: 'pre-disclosure', unitCode }, policy.notice.claimStaleAfterMinutes, async () => {
    const ledger = await deps.ledgers.getLedger(unitCode);
    const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
    // The claim is ours: decide as if no notice stood.
    const decision = decideDisclosure(status, undefined, ledger.hold, today, policy, standingOf(ledger, today, policy));
    if (decision.action !== 'send-notice' || !ledger.employer) return { skip: decision.action === 'none' && decision.reason !== 'below-thresholds' ? 'held' : 'notNeeded' };
    const employer = ledger.employer;
    const letter = letterFor(deps, { kind: 'pre-disclosure', unitCode, cycle: cycleOf(today) }, await contactOfficer(deps, ledger.case));
    const notice = renderPreDisclosureNotice(employer, status, decision.payBy, policy, letter);
    const contentSha256 = createHash('sha256').update(`${notice.subject}\n${notice.body}`).digest('hex');
    stated = { payBy: decision.payBy, monthsOverdue: status.monthsOverdue, debt: status.debt, contentSha256 };
    return {
      send: (claim) => deps.mailer.send({ from: deps.office.email.notices, to: employer.email, subject: notice.subject, body: notice.body, claim }),
      evidence: { sentOn: today, payBy: decision.payBy, contentSha256, monthsOverdue: status.monthsOverdue, debt: status.debt },
    };
  });
  if (result.delivery === 'sent' && stated) {
    await deps.casework.appendEvent({
      unitCode, cycle: cycleOf(today), at: deps.clock.now().toISOString(), kind: 'pre-disclosure-notice-sent', actor: 'system:disclosure-run',
      detail: { channel: 'email', sentOn: today, ...stated, messageId: result.messageId! },
    });
  }
  return result.delivery;
}

/** Where the unit's promise or plan stands today, if it has one. */
function standingOf(ledger: { arrangement?: Arrangement | undefined; payments: Payment[] }, today: IsoDate, policy: Policy) {
  return ledger.arrangement ? arrangementStanding(ledger.arrangement, ledger.payments, today, policy) : undefined;
}
