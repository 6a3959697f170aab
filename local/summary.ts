import type { RedriveSummary } from '../functions/steps/redrive-run.ts';
import { stillDue } from '../functions/core/delivery-tally.ts';
import type { RunSummary } from '../functions/core/run-summary.ts';
import type { QuarterlyListSummary } from '../functions/steps/quarterly-list.ts';
import type { DisclosureSummary } from '../functions/steps/disclosure-run.ts';
import type { StatementRunSummary } from '../functions/steps/statement-run.ts';
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
}

/** The local run's closing summary: one column per cycle, one row per figure. */
export function formatCycleTable(cycles: readonly CycleReport[]): string {
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
    ['quarterly list (quarter)', (c) => c.quarterly?.quarter ?? '-'],
    ['  late / evading', (c) => (c.quarterly ? `${c.quarterly.late} / ${c.quarterly.evading}` : '-')],
    ['disclosure run (date)', (c) => c.disclosure?.date ?? '-'],
    ['  above thresholds / on hold', (c) => (c.disclosure ? `${c.disclosure.aboveThresholds} / ${c.disclosure.onHold}` : '-')],
    ['  pre-disclosure notices sent', (c) => (c.disclosure ? String(c.disclosure.notices.sent) : '-')],
    ['  pending (provider down) / refused or given up', (c) => (c.disclosure ? `${stillDue(c.disclosure.notices)} / ${c.disclosure.notices.refused + c.disclosure.notices.abandoned}` : '-')],
    ['  in response window / lapsed (paid)', (c) => (c.disclosure ? `${c.disclosure.waiting} / ${c.disclosure.lapsed}` : '-')],
    ['  units published', (c) => (c.disclosure ? String(c.disclosure.published) : '-')],
    ['[simulation] tasks unanswered', (c) => String(c.simulatedOutcomes['no-response'] ?? 0)],
    ['[simulation] payments before next run:', () => ''],
    ['    late units, in full / in part', (c) => `${c.simulatedPayments.full} / ${c.simulatedPayments.part}`],
    ['    units up to date, on time', (c) => String(c.simulatedPayments.onTime)],
  ];
  const header = ['cycle', ...cycles.map((c) => c.summary.cycle)];
  const table = [header, ...rows.map(([label, get]) => [label, ...cycles.map(get)])];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  return table.map((r, ri) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    return ri === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
  }).join('\n') + '\n\n' + cycles.map((c) => `[simulation] ${c.summary.cycle} officers answered: ${
    Object.entries(c.simulatedOutcomes).filter(([k]) => k !== 'no-response').map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`).join('\n');
}
