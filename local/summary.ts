import type { RedriveSummary } from '../functions/steps/redrive-run.ts';
import { stillDue } from '../functions/core/delivery-tally.ts';
import type { RunSummary } from '../functions/core/run-summary.ts';
import type { QuarterlyListSummary } from '../functions/steps/quarterly-list.ts';
import type { DisclosureSummary } from '../functions/steps/disclosure-run.ts';
import type { StatementRunSummary } from '../functions/steps/statement-run.ts';
import type { EmployeeNoticeRunSummary } from '../functions/steps/employee-notice-run.ts';
import { formatVnd } from '../functions/core/money.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export interface CycleReport {
  summary: RunSummary;
  notices: number;
  tasks: { opened: number; visit: number; inspection: number; done: number; timedOut: number };
  simulatedOutcomes: Record<string, number>;
  executionsFailed: number;
  closedByWorkflow: number;
  simulatedPayments: { full: number; part: number; onTime: number };
  /** The quarterly list, when it was made in this cycle (first month of a quarter). */
  quarterly?: QuarterlyListSummary | undefined;
  disclosure?: DisclosureSummary | undefined;
  /** The month's redrive runs, the monthly run's catch-up first (what was sent again, what is still due). */
  redrives?: RedriveSummary[] | undefined;
  /** Every unit's monthly statement (HTML email with the PDF attached). */
  statements?: StatementRunSummary | undefined;
  /** Where the cycle's collection report was written (keys under the reports folder / bucket). */
  reportKeys?: string[] | undefined;
  /** The collection report's office figures, read from the ledgers again when it ran (later that day). */
  report?: { at: string; debtRatioPercent: number; arrears: number } | undefined;
  /** The employee notice runs of the cycle (the 10th and its reruns that day). */
  employeeNotices?: EmployeeNoticeRunSummary[] | undefined;
}

/** Said under the closing summary of a run with --no-simulation. */
export const SIMULATION_OFF = 'Simulation off (--no-simulation): the imported data alone. No payment, officer answer, renewal, STOP reply or bounce was made up; tasks left unanswered ran past their due date, and no new contribution period was posted between cycles.';

/**
 * The local run's closing summary: one column per cycle, one row per figure. Without the
 * simulation (`simulation: false`), its rows are left out and the table says it was off.
 */
export function formatCycleTable(cycles: readonly CycleReport[], { simulation = true }: { simulation?: boolean } = {}): string {
  const rows: [string, (c: CycleReport) => string][] = [
    ['run date (as of)', (c) => c.summary.asOf],
    ['units scanned', (c) => String(c.summary.unitsScanned)],
    ['  paid up', (c) => String(c.summary.paidUp)],
    ['  in arrears', (c) => String(c.summary.delinquent)],
    ['  in arrears, on hold', (c) => String(c.summary.onHold)],
    ['  in arrears, keeping a promise or plan', (c) => String(c.summary.underArrangement)],
    ['    stage: urging notice', (c) => String(c.summary.byStage['urging-notice'])],
    ['    stage: officer visit', (c) => String(c.summary.byStage['officer-visit'])],
    ['    stage: inspection', (c) => String(c.summary.byStage.inspection)],
    ['  months overdue 1 / 2 / 3-5 / 6+', (c) => Object.values(c.summary.byMonthsOverdue).join(' / ')],
    ['escalations started', (c) => String(c.summary.executionsStarted)],
    ['urging notices sent', (c) => String(c.notices)],
    ['  sent again by the catch-up and redrive', (c) => (c.redrives ? String(sum(c.redrives.map((r) => r.messages.urging.sent))) : '-')],
    ['statements sent (every unit, with PDF)', (c) => (c.statements ? String(c.statements.statements.sent) : '-')],
    ['  already sent / bad record', (c) => (c.statements ? `${c.statements.statements.alreadySent} / ${c.statements.statements.badRecord}` : '-')],
    ['  sent again by the redrive / still due', (c) => (c.redrives ? `${sum(c.redrives.map((r) => r.messages.statement.sent))} / ${c.redrives.at(-1)?.stillDue ?? 0}` : '-')],
    ['  pending (provider down) / refused or given up', (c) => (c.statements ? `${stillDue(c.statements.statements)} / ${c.statements.statements.refused + c.statements.statements.abandoned}` : '-')],
    ['officer tasks (visit / inspection)', (c) => `${c.tasks.visit} / ${c.tasks.inspection}`],
    ['  answered / past due date', (c) => `${c.tasks.done} / ${c.tasks.timedOut}`],
    ['cases closed (paid)', (c) => String(c.summary.casesClosed + c.closedByWorkflow)],
    ['escalations failed', (c) => String(c.executionsFailed)],
    ['receivable (last 12 months)', (c) => formatVnd(c.summary.receivable)],
    ['arrears', (c) => formatVnd(c.summary.arrears)],
    ['late-payment interest', (c) => formatVnd(c.summary.interestOutstanding)],
    ['debt ratio', (c) => `${c.summary.debtRatioPercent.toFixed(2)}%`],
    ["  in that day's collection report", (c) => (c.report ? `${c.report.debtRatioPercent.toFixed(2)}%` : '-')],
    ['  arrears paid between the run and the report', (c) => (c.report ? formatVnd(c.summary.arrears - c.report.arrears) : '-')],
    ['quarterly list (quarter)', (c) => c.quarterly?.quarter ?? '-'],
    ['  late / evading', (c) => (c.quarterly ? `${c.quarterly.late} / ${c.quarterly.evading}` : '-')],
    ['disclosure run (date)', (c) => c.disclosure?.date ?? '-'],
    ['  above thresholds / on hold', (c) => (c.disclosure ? `${c.disclosure.aboveThresholds} / ${c.disclosure.onHold}` : '-')],
    ['  pre-disclosure notices sent', (c) => (c.disclosure ? String(c.disclosure.notices.sent) : '-')],
    ['  pending (provider down) / refused or given up', (c) => (c.disclosure ? `${stillDue(c.disclosure.notices)} / ${c.disclosure.notices.refused + c.disclosure.notices.abandoned}` : '-')],
    ['  in response window / lapsed (paid)', (c) => (c.disclosure ? `${c.disclosure.waiting} / ${c.disclosure.lapsed}` : '-')],
    ['  units published', (c) => (c.disclosure ? String(c.disclosure.published) : '-')],
    ['employees told of arrears (SMS / email)', (c) => (c.employeeNotices ? `${sum(c.employeeNotices.map((r) => r.sentBy.sms))} / ${sum(c.employeeNotices.map((r) => r.sentBy.email))}` : '-')],
    ['  units late 30+ days / told employees were informed', (c) => (c.employeeNotices?.length ? `${c.employeeNotices[0]!.unitsLate} / ${sum(c.employeeNotices.map((r) => r.units.sent))}` : '-')],
    ['  no consent or contact / opted out / still due', (c) => {
      const last = c.employeeNotices?.at(-1);
      return last ? `${last.skipped.noConsent + last.skipped.noContact} / ${last.skipped.optedOut} / ${stillDue(last.employees)}` : '-';
    }],
    ['[simulation] tasks unanswered', (c) => String(c.simulatedOutcomes['no-response'] ?? 0)],
    ['[simulation] payments before next run:', () => ''],
    ['    late units, in full / in part', (c) => `${c.simulatedPayments.full} / ${c.simulatedPayments.part}`],
    ['    units up to date, on time', (c) => String(c.simulatedPayments.onTime)],
  ];
  const header = ['cycle', ...cycles.map((c) => c.summary.cycle)];
  const shown = simulation ? rows : rows.filter(([label]) => !label.startsWith('[simulation]') && !label.startsWith('    late units') && !label.startsWith('    units up to date'));
  const table = [header, ...shown.map(([label, get]) => [label, ...cycles.map(get)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const text = table.map((r, ri) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return ri === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
  }).join('\n');
  if (!simulation) return `${text}\n\n${SIMULATION_OFF}`;
  return text + '\n\n' + cycles.map((c) => `[simulation] ${c.summary.cycle} officers answered: ${
    Object.entries(c.simulatedOutcomes).filter(([k]) => k !== 'no-response').map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`).join('\n');
}

/**
 * Why the run's debt ratio and that day's collection report's can differ: the same rule
 * (overdue principal over the last 12 months' receivable, core/run-summary.ts and
 * core/collection-report.ts), read at two times of the same day; what came in between (the payments
 * officers recorded at their visits) lowers the report's. Said only when they differ.
 */
export function debtRatioNote(cycles: readonly CycleReport[]): string[] {
  const differing = cycles.filter((c) => c.report && c.report.arrears !== c.summary.arrears);
  if (differing.length === 0) return [];
  return [
    "The run's debt ratio is the ledgers as the monthly run read them that morning; the collection report reads them again",
    `at its own hour the same day, after the payments recorded in between (${differing.map((c) => `${c.summary.cycle}: ${formatVnd(c.summary.arrears - c.report!.arrears)}`).join(', ')}).`,
    'The rule is the same (overdue principal / receivable over the last 12 months).',
  ];
}
