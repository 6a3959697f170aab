import { createHash } from 'node:crypto';
import { ledgerStatus } from '../core/ledger.ts';
import { cycleOf } from '../core/escalation.ts';
import { type IsoDate } from '../core/dates.ts';
import { type Policy } from '../core/policy.ts';
import { buildStatement, renderStatement, statementText } from '../core/statement.ts';
import { statementHtml } from '../report/statement-html.ts';
import { statementPdf } from '../report/statement-pdf.ts';
import { logger } from '../commons/logger.ts';
import { forEachLedger, scanPart, type ScanPart } from './scan-ledgers.ts';
import { emitMetrics } from '../commons/metrics.ts';
import { statementRunMetrics } from '../core/metric-points.ts';
import type { Ports } from '../commons/deps.ts';
import type { MalformedItem } from '../commons/store.ts';
import { operations } from '../commons/operations.ts';
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
  statements: { sent: number; alreadySent: number; inProgress: number; failed: number };
  /** Units whose records did not validate: no statement (its figures would be wrong), reported by key. */
  skipped: number;
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
    statements: {
      sent: a.statements.sent + b.statements.sent, alreadySent: a.statements.alreadySent + b.statements.alreadySent,
      inProgress: a.statements.inProgress + b.statements.inProgress, failed: a.statements.failed + b.statements.failed,
    },
    skipped: a.skipped + b.skipped,
    malformed: [...a.malformed, ...b.malformed].slice(0, MALFORMED_SAMPLES),
    startedAt: a.startedAt < b.startedAt ? a.startedAt : b.startedAt,
    finishedAt: a.finishedAt > b.finishedAt ? a.finishedAt : b.finishedAt,
  }), first);
}

type Outcome = 'sent' | 'alreadySent' | 'inProgress' | 'failed' | 'skipped';

/**
 * The monthly statement to every employer, late or not. One parallel scan lists the units (as the
 * monthly run reads them); each unit's statement is claimed (NOTICE#<cycle>#statement) before its
 * ledger is re-read and it is sent, so a rerun sends nothing twice and a crashed run resumes where
 * it stopped. A unit whose records do not validate is reported with the key and reason and gets no
 * statement; the others still go.
 */
export function runStatements(deps: Ports<'ledgers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'policyFor'>, input: StatementRunInput, lease: RunLeaseOptions = {}): Promise<StatementRunSummary> {
  const today = input.asOf ?? deps.clock.today();
  const scan = scanPart(input, operations().STATEMENT_RUN_SEGMENTS);
  // One run of each part at a time: a second execution's segment is refused while the first's works.
  return withRunLease(deps, { name: 'statement', scope: cycleOf(today), kind: partLockKind('STATEMENTS', scan) }, lease, () => statements(deps, today, scan));
}

async function statements(deps: Ports<'ledgers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'policyFor'>, today: IsoDate, scan: ScanPart): Promise<StatementRunSummary> {
  const startedAt = deps.clock.now().toISOString();
  const policy = deps.policyFor(today);
  const cycle = cycleOf(today);
  const { segments, totalSegments } = scan;
  const s = { unitsScanned: 0, skipped: 0, statements: { sent: 0, alreadySent: 0, inProgress: 0, failed: 0 } };
  const malformed: MalformedItem[] = [];
  const seen = new Set<string>();
  const report = (m: MalformedItem) => {
    if (seen.has(m.key)) return;
    seen.add(m.key);
    if (malformed.length < MALFORMED_SAMPLES) malformed.push(m);
    logger.warn('Malformed item: no statement for its unit', { ...m });
  };

  const send = async (unitCode: string) => {
    const outcome = await sendStatement(deps, unitCode, cycle, today, policy, report);
    if (outcome === 'skipped') s.skipped++;
    else s.statements[outcome]++;
  };

  await forEachLedger(deps, scan, report, (ledger) => {
    if (!ledger.hasProfile) {
      report({ key: `EMP#${ledger.unitCode} PROFILE`, reason: 'employer profile missing; no statement' });
      s.skipped++;
      return;
    }
    s.unitsScanned++;
    return send(ledger.unitCode);
  });

  const summary: StatementRunSummary = {
    date: today, cycle, policyVersion: policy.version, ...s, malformed, startedAt, finishedAt: deps.clock.now().toISOString(),
  };
  // One record per part of the run: the segments of a fanned-out run do not overwrite each other.
  const part = segments.length === totalSegments ? 'all' : `${segments.join(',')}/${totalSegments}`;
  await deps.runs.putRunSummary(cycle, { ...summary, segments, totalSegments }, `STATEMENTS#${part}`);
  emitMetrics(statementRunMetrics(summary));
  logger.info('Statement run finished', { cycle, part, unitsScanned: s.unitsScanned, ...s.statements, skipped: s.skipped });
  return summary;
}

/**
 * One unit's statement, at most once per cycle: claim, re-read the ledger (consistent), build
 * and render it, send it with its PDF, record the send. An SES failure releases the claim for the
 * next run and does not stop this one; so does a record that does not validate.
 */
async function sendStatement(
  deps: Ports<'ledgers' | 'claims' | 'runs' | 'mailer' | 'clock' | 'policyFor'>, unitCode: string, cycle: string, today: IsoDate, policy: Policy, report: (m: MalformedItem) => void,
): Promise<Outcome> {
  const message = { message: 'statement', unitCode, cycle } as const;
  const claim = await deps.claims.claim(message, deps.clock.now(), policy.notice.claimStaleAfterMinutes);
  if (claim === 'already-sent') return 'alreadySent';
  if (claim === 'in-progress') return 'inProgress';

  const problems: MalformedItem[] = [];
  const ledger = await deps.ledgers.getLedger(unitCode, (m) => problems.push(m));
  if (problems.length > 0 || !ledger.employer) {
    if (!ledger.employer && problems.length === 0) problems.push({ key: `EMP#${unitCode} PROFILE`, reason: 'employer profile missing; no statement' });
    problems.forEach(report);
    await deps.claims.complete(message, { status: 'failed' });
    return 'skipped';
  }
  const employer = ledger.employer;
  const status = ledgerStatus(ledger.periods, ledger.payments, today, policy);
  const doc = renderStatement(employer, buildStatement(unitCode, status, cycle, policy), policy);
  const html = statementHtml(doc);
  const pdf = await statementPdf(doc);
  let messageId: string;
  try {
    messageId = await deps.mailer.sendWithAttachment({
      from: policy.notice.sender, to: employer.email, subject: doc.subject, text: statementText(doc), html,
      attachment: { filename: doc.fileName, content: pdf, contentType: PDF },
    });
  } catch (error) {
    await deps.claims.complete(message, { status: 'failed' });
    logger.error('Statement not sent', { unitCode, error: (error as Error).name });
    return 'failed';
  }
  const contentSha256 = createHash('sha256').update(`${doc.subject}\n${html}`).update(pdf).digest('hex');
  await deps.claims.complete(message, { status: 'sent', sentAt: deps.clock.now().toISOString(), messageId, contentSha256, debt: status.debt });
  return 'sent';
}
