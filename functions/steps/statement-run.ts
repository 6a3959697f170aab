import { createHash } from 'node:crypto';
import { ledgerStatus } from '../core/ledger.ts';
import { statementDue } from '../core/unit-status.ts';
import { cycleOf } from '../core/escalation.ts';
import { type IsoDate } from '../core/dates.ts';
import { type Policy } from '../core/policy.ts';
import { buildStatement, renderStatement, statementText } from '../core/statement.ts';
import { statementHtml } from '../report/statement-html.ts';
import { statementPdf } from '../report/statement-pdf.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, malformedCollector, scanPart, type ScanPart } from './scan-ledgers.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { statementRunMetrics } from '../core/metric-points.ts';
import type { Ports } from '../commons/deps.ts';
import type { MalformedItem } from '../commons/store.ts';
import { operations } from '../commons/operations.ts';
import { addTallies, emptyTally, type Delivery, type DeliveryTally } from '../core/delivery-tally.ts';
import { deliverOnce } from './deliver-once.ts';
import { contactOfficer, letterFor, type OfficerCache } from './letter.ts';
import { partLockKind, withRunLease, type RunLeaseOptions } from '../commons/run-lease.ts';

export interface StatementRunInput {
  /** The run date; by default today in the office's time zone. */
  asOf?: IsoDate | undefined;
  /** Which scan segments this invocation reads (all by default), so the run can fan out. */
  segments?: number[] | undefined;
  totalSegments?: number | undefined;
}

export interface StatementRunSummary {
  date: IsoDate;
  cycle: string;
  policyVersion: string;
  unitsScanned: number;
  /** How each unit's statement ended; `badRecord`: no readable employer profile (no address), reported by key. */
  statements: DeliveryTally;
  /** Stored items that did not validate, by key and reason: left out of their unit's statement (or, a profile, no statement). */
  malformed: MalformedItem[];
  startedAt: string;
  finishedAt: string;
}

const MALFORMED_SAMPLES = 20;
const PDF = 'application/pdf';

/** The summaries of a run's parts (its segments' invocations) as one. */
export function combineStatementRuns(parts: readonly StatementRunSummary[]): StatementRunSummary {
  const [first, ...rest] = parts;
  if (!first) throw new Error('A statement run has at least one part');
  return rest.reduce<StatementRunSummary>((a, b) => ({
    ...a,
    unitsScanned: a.unitsScanned + b.unitsScanned,
    statements: addTallies(a.statements, b.statements),
    malformed: [...a.malformed, ...b.malformed].slice(0, MALFORMED_SAMPLES),
    startedAt: a.startedAt < b.startedAt ? a.startedAt : b.startedAt,
    finishedAt: a.finishedAt > b.finishedAt ? a.finishedAt : b.finishedAt,
  }), first);
}


/**
 * The monthly statement to every employer, late or not. One parallel scan lists the units (as the
 * monthly run reads them); each unit's statement is claimed (NOTICE#<cycle>#statement) before its
 * ledger is re-read and it is sent, so a rerun sends nothing twice and a crashed run resumes where
 * it stopped. A stored item that does not validate is reported with its key and reason and left
 * out; its unit's statement still goes, from the items that do (a unit without a readable profile gets none).
 */
export function runStatements(deps: Ports<'ledgers' | 'officers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'office' | 'policyFor'>, input: StatementRunInput, lease: RunLeaseOptions = {}): Promise<StatementRunSummary> {
  const today = input.asOf ?? deps.clock.today();
  const scan = scanPart(input, operations().STATEMENT_RUN_SEGMENTS);
  // One run of each part at a time: a second execution's segment is refused while the first's works.
  return withRunLease(deps, { name: 'statement', scope: cycleOf(today), kind: partLockKind('STATEMENTS', scan) }, lease, () => statements(deps, today, scan));
}

async function statements(deps: Ports<'ledgers' | 'officers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'office' | 'policyFor'>, today: IsoDate, scan: ScanPart): Promise<StatementRunSummary> {
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(today);
  const cycle = cycleOf(today);
  const { segments, totalSegments } = scan;
  const s = { unitsScanned: 0, statements: emptyTally() };
  const { items: malformed, report } = malformedCollector('the statement run', MALFORMED_SAMPLES);

  // The same few officers follow every unit of a district up: each is read once per invocation.
  const officers: OfficerCache = new Map();
  const send = async (unitCode: string) => {
    s.statements[await sendStatement(deps, unitCode, cycle, today, policy, report, officers)]++;
  };

  await forEachLedger(deps, scan, report, (ledger) => {
    if (!ledger.hasProfile) {
      report({ key: `EMP#${ledger.unitCode} PROFILE`, reason: 'employer profile missing; no statement' });
      s.statements.badRecord++;
      return;
    }
    s.unitsScanned++;
    // A unit closed by today that owes nothing gets no statement (core/unit-status.ts); nothing is claimed.
    if (ledger.standing && !statementDue(ledger.standing, ledgerStatus(ledger.periods, ledger.payments, today, policy), today)) {
      s.statements.notNeeded++;
      return;
    }
    return send(ledger.unitCode);
  });

  const summary: StatementRunSummary = {
    date: today, cycle, policyVersion: policy.version, ...s, malformed, startedAt, finishedAt: deps.clock.now().toISOString(),
  };
  // One record per part of the run: the segments of a fanned-out run do not overwrite each other.
  const part = segments.length === totalSegments ? 'all' : `${segments.join(',')}/${totalSegments}`;
  await deps.runs.putRunSummary(cycle, { ...summary, segments, totalSegments }, `STATEMENTS#${part}`);
  emitMetrics(statementRunMetrics(summary));
  logger.info('Statement run finished', { cycle, part, unitsScanned: s.unitsScanned, ...s.statements });
  return summary;
}

/**
 * One unit's statement, at most once per cycle: claim, re-read the ledger (consistent), build
 * and render it, send it with its PDF, record the send. An SES failure releases the claim for the
 * next run and does not stop this one; so does a missing or unreadable profile. Other items that do
 * not validate are reported and left out.
 */
export async function sendStatement(
  deps: Ports<'ledgers' | 'officers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'office' | 'policyFor'>, unitCode: string, cycle: string, today: IsoDate, policy: Policy, report: (m: MalformedItem) => void,
  officers?: OfficerCache,
): Promise<Delivery> {
  const { delivery } = await deliverOnce(deps, policy, { message: 'statement', unitCode, cycle }, policy.notice.claimStaleAfterMinutes, async () => {
    // An item that does not validate is reported by key and left out; the statement is computed
    // from the items that do. Only a unit with no readable profile (no address) gets none.
    const ledger = await deps.ledgers.getLedger(unitCode, report);
    if (!ledger.employer) {
      report({ key: `EMP#${unitCode} PROFILE`, reason: 'employer profile missing or unreadable; no statement' });
      return { skip: 'badRecord' };
    }
    const employer = ledger.employer;
    const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
    const letter = letterFor(deps, { kind: 'statement', unitCode, cycle }, await contactOfficer(deps, ledger.case, officers));
    const doc = renderStatement(employer, buildStatement(unitCode, status, cycle, policy), policy, letter);
    const html = statementHtml(doc);
    const pdf = await statementPdf(doc);
    return {
      send: (claim) => deps.mailer.sendWithAttachment({
        from: deps.office.email.notices, to: employer.email, subject: doc.subject, text: statementText(doc), html,
        attachment: { filename: doc.fileName, content: pdf, contentType: PDF }, claim,
      }),
      evidence: { contentSha256: createHash('sha256').update(`${doc.subject}\n${html}`).update(pdf).digest('hex'), debt: status.debt },
    };
  });
  return delivery;
}
