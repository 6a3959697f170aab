import type { LedgerStatus, Vnd } from './ledger.ts';
import { deadlineOf, type Policy } from './policy.ts';
import { payByDate } from './escalation.ts';
import { addMonths, type IsoDate, type Period } from './dates.ts';
import { formatDailyRate, formatVnd } from './money.ts';
import { fill, fillLines } from './template.ts';
import type { NoticeRecipient } from './notice.ts';
import type { StatementTemplate } from './statement-policy.ts';
import { displayDate, displayMonth, displayPeriod } from './display-dates.ts';
import { letterBlocks, type Letter, type LetterBlocks } from './letter.ts';

/**
 * The monthly statement of contribution results every employer gets, late or not: per period
 * what was due, paid, the balance carried and the interest, the totals and the deadline. The
 * figures are the ledger's (ledger.ts), never worked out again here.
 */

export interface StatementRow {
  period: Period;
  dueDate: IsoDate;
  amountDue: Vnd;
  amountPaid: Vnd;
  balance: Vnd;
  interest: Vnd;
}

/** Periods before the ones shown in detail, all settled, summed into one line. */
export interface BroughtForward {
  before: Period;
  periods: number;
  amountDue: Vnd;
  amountPaid: Vnd;
  balance: Vnd;
  interest: Vnd;
}

/** The ledger's own figures the statement carries as they are. */
export type LedgerFigures = Pick<LedgerStatus, 'overduePrincipal' | 'notYetDue' | 'interestAccrued' | 'interestPaid' | 'interestOutstanding' | 'debt' | 'credit' | 'monthsOverdue'>;

export interface Statement extends LedgerFigures {
  unitCode: string;
  cycle: Period;
  asOf: IsoDate;
  broughtForward: BroughtForward | null;
  rows: StatementRow[];
  /** Over every period of the ledger (brought forward and rows). */
  totals: { amountDue: Vnd; amountPaid: Vnd; balance: Vnd; interest: Vnd };
  /** The period whose contribution deadline falls in this cycle, and what is left to pay on it. */
  deadline: { period: Period; date: IsoDate; balance: Vnd };
  /** The date the debt is asked for (as the urging notice asks), and the one for questions. */
  payBy: IsoDate;
}

/** The day of a cycle's statement run: the urging notice names it. */
export function statementDate(cycle: Period, policy: Policy): IsoDate {
  return `${cycle}-${String(policy.statement.dayOfMonth).padStart(2, '0')}`;
}

/** The statement of a cycle from the ledger as of the run date. */
export function buildStatement(unitCode: string, status: LedgerStatus, cycle: Period, policy: Policy): Statement {
  const detailFrom = addMonths(cycle, -policy.statement.months);
  // A period still owing is always shown, however old; settled ones before the window are summed up.
  const shown = status.periods.filter((p) => p.period >= detailFrom || p.balance > 0);
  const settledBefore = status.periods.filter((p) => !shown.includes(p));
  const rows: StatementRow[] = shown.map((p) => ({
    period: p.period, dueDate: p.dueDate, amountDue: p.amountDue, amountPaid: p.amountPaid, balance: p.balance, interest: p.interest,
  }));
  const broughtForward: BroughtForward | null = settledBefore.length === 0 ? null : {
    before: rows[0]?.period ?? detailFrom,
    periods: settledBefore.length,
    ...sumOf(settledBefore),
  };
  const deadlinePeriod = addMonths(cycle, -policy.deadline.monthsAfterPeriod);
  return {
    unitCode,
    cycle,
    asOf: status.asOf,
    broughtForward,
    rows,
    totals: sumOf(status.periods),
    overduePrincipal: status.overduePrincipal,
    notYetDue: status.notYetDue,
    interestAccrued: status.interestAccrued,
    interestPaid: status.interestPaid,
    interestOutstanding: status.interestOutstanding,
    debt: status.debt,
    credit: status.credit,
    monthsOverdue: status.monthsOverdue,
    deadline: {
      period: deadlinePeriod,
      date: deadlineOf(deadlinePeriod, policy),
      balance: status.periods.find((p) => p.period === deadlinePeriod)?.balance ?? 0,
    },
    payBy: payByDate(status.asOf, policy),
  };
}

/** The statement in words, filled from the policy's template: what both the email and the PDF show. */
export interface StatementDocument {
  locale: 'vi' | 'en';
  subject: string;
  title: string;
  header: string[];
  columns: string[];
  /** Cells as shown: the period, its deadline, then amounts. */
  rows: string[][];
  total: string[];
  summary: { label: string; value: string }[];
  footer: string[];
  fileName: string;
  /** The office's letter: letterhead, how to pay, whom to call, signature, page label, send time. */
  letter: LetterBlocks;
}

/** Columns 2.. are amounts (right-aligned by both renderers). */
export const AMOUNT_COLUMNS_FROM = 2;

/**
 * The statement in words, from the policy's template and the office's letter. Every unit gets
 * how to pay (its monthly contributions go to the same accounts, with the same transfer content);
 * only a unit that owes something is asked to call, and given its officer.
 */
export function renderStatement(recipient: NoticeRecipient, statement: Statement, policy: Policy, letter: Letter): StatementDocument {
  const locale = recipient.locale;
  const t: StatementTemplate = policy.statement.templates[locale];
  const values: Record<string, string> = {
    unitCode: recipient.unitCode,
    unitName: recipient.name,
    taxCode: recipient.taxCode,
    cycle: displayPeriod(statement.cycle),
    month: displayMonth(statement.cycle, locale),
    asOf: displayDate(statement.asOf),
    overduePrincipal: formatVnd(statement.overduePrincipal),
    notYetDue: formatVnd(statement.notYetDue),
    interestRate: formatDailyRate(policy.interest.rates.at(-1)!.dailyRatePpm, locale),
    interestAccrued: formatVnd(statement.interestAccrued),
    interestPaid: formatVnd(statement.interestPaid),
    interestOutstanding: formatVnd(statement.interestOutstanding),
    debt: formatVnd(statement.debt),
    credit: formatVnd(statement.credit),
    monthsOverdue: String(statement.monthsOverdue),
    deadlinePeriod: displayPeriod(statement.deadline.period),
    deadline: displayDate(statement.deadline.date),
    deadlineBalance: formatVnd(statement.deadline.balance),
    payBy: displayDate(statement.payBy),
  };
  const shownWhen = { debt: statement.debt, credit: statement.credit, notYetDue: statement.notYetDue };
  const money = (r: { amountDue: Vnd; amountPaid: Vnd; balance: Vnd; interest: Vnd }) =>
    [formatVnd(r.amountDue), formatVnd(r.amountPaid), formatVnd(r.balance), formatVnd(r.interest)];
  const bf = statement.broughtForward;
  return {
    locale,
    subject: fill(t.subject, values),
    title: fill(t.title, values),
    header: fillLines(t.header, values).split('\n'),
    columns: [t.columns.period, t.columns.dueDate, t.columns.amountDue, t.columns.amountPaid, t.columns.balance, t.columns.interest],
    rows: [
      ...(bf ? [[fill(t.broughtForward, { before: displayPeriod(bf.before) }), '', ...money(bf)]] : []),
      ...statement.rows.map((r) => [displayPeriod(r.period), displayDate(r.dueDate), ...money(r)]),
    ],
    total: [t.totalRow, '', ...money(statement.totals)],
    summary: t.summary
      .filter((line) => line.when === undefined || shownWhen[line.when] > 0)
      .map((line) => ({ label: fill(line.label, values), value: fill(line.value, values) })),
    footer: t.footer.filter((line) => line.when === undefined || shownWhen[line.when] > 0).map((line) => fill(line.text, values)),
    // A file name, not text: the stored period sorts the files of a unit by month.
    fileName: fill(t.fileName, { cycle: statement.cycle, unitCode: recipient.unitCode.toLowerCase() }),
    letter: letterBlocks(letter, recipient.unitCode, statement.cycle, locale, policy.letter[locale], policy.timeZone, statement.debt > 0),
  };
}

/** The email's plain-text part: the same document, a line per period. */
export function statementText(doc: StatementDocument): string {
  const line = (cells: string[]) => `- ${cells[0]}${cells[1] ? ` (${doc.columns[1]} ${cells[1]})` : ''}: ${
    cells.slice(AMOUNT_COLUMNS_FROM).map((c, i) => `${doc.columns[i + AMOUNT_COLUMNS_FROM]} ${c}`).join(', ')}`;
  const l = doc.letter;
  return [
    ...l.agency, l.number, ...l.motto, l.dated, '',
    doc.title, '',
    ...doc.header,
    ...doc.rows.map(line),
    line(doc.total), '',
    ...doc.summary.map((s) => `${s.label}: ${s.value}`), '',
    ...l.payment, '',
    ...l.contact, '',
    ...doc.footer,
  ].join('\n');
}

function sumOf(periods: readonly { amountDue: Vnd; amountPaid: Vnd; balance: Vnd; interest: Vnd }[]) {
  const total = { amountDue: 0, amountPaid: 0, balance: 0, interest: 0 };
  for (const p of periods) {
    total.amountDue += p.amountDue;
    total.amountPaid += p.amountPaid;
    total.balance += p.balance;
    total.interest += p.interest;
  }
  return total;
}
