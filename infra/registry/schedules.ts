import type { Policy } from '../../functions/core/policy.ts';
import { QUARTER_FIRST_MONTHS } from '../../functions/core/quarterly-list.ts';
import { addDays, type IsoDate } from '../../functions/core/dates.ts';
import type { FunctionKey } from './functions.ts';

/**
 * Every schedule of the deployment, in one list: when (cron fields in the policy's time zone, from
 * the policy's own days and hours) and what it starts (a function, or the statement run's state
 * machine) with what input. The stack makes one EventBridge Scheduler schedule of each
 * (infra/constructs/schedules.ts); `npm start` runs each month in the order these fire
 * (local/start.ts, through `firings`). No AWS CDK import.
 */

/** Cron fields as EventBridge Scheduler reads them: a number, a list `1,4`, a range `8-20`, or `*`. */
export interface CronFields {
  /** @default '0' */
  minute?: string;
  hour: string;
  /** @default '*' */
  day?: string;
  /** @default '*' */
  month?: string;
}

/** The state machines a schedule may start (besides the escalation, which the monthly run starts). */
export type ScheduledStateMachine = 'statementRun' | 'monthlyRun';

export type ScheduleId = 'monthly-run' | 'quarterly-list' | 'disclosure-run' | 'collection-report' | 'statement-run' | 'redrive-run' | 'reminder-run' | 'renewal-report' | 'reconciliation-run' | 'employee-notice-run';

export interface ScheduleSpec {
  /** Kebab case; the schedule's construct is its PascalCase with `Schedule` (monthly-run → MonthlyRunSchedule). */
  id: ScheduleId;
  description: string;
  when: (policy: Policy) => CronFields;
  starts: { function: FunctionKey } | { stateMachine: ScheduledStateMachine };
  /** The target's input. @default {} */
  input?: Record<string, unknown>;
  /** The run is about the month before its date (a local run's last month is followed by it). */
  coversMonthBefore?: boolean;
}

export const SCHEDULES: readonly ScheduleSpec[] = [
  {
    id: 'monthly-run',
    description: 'Monthly notice run, early in the month, office time',
    when: (p) => ({ hour: String(p.monthlyRun.hour), day: String(p.monthlyRun.dayOfMonth) }),
    // Through its state machine: plan, one invocation per scan segment, summary (workflows/monthly-run.ts).
    starts: { stateMachine: 'monthlyRun' },
  },
  {
    // The quarterly list for the authorities: early in each quarter's first month (the law: before the 15th).
    id: 'quarterly-list',
    description: 'Quarterly list of late and evading employers, first month of each quarter, office time',
    when: (p) => ({ hour: String(p.quarterlyList.hour), day: String(p.quarterlyList.dayOfMonth), month: QUARTER_FIRST_MONTHS.join(',') }),
    starts: { function: 'quarterlyList' },
  },
  {
    // Disclosure: monthly, days after the monthly run (notices sent, then the publication a month later).
    id: 'disclosure-run',
    description: 'Monthly disclosure run: pre-disclosure notices and publication, office time',
    when: (p) => ({ hour: String(p.disclosure.hour), day: String(p.disclosure.dayOfMonth) }),
    starts: { function: 'disclosureRun' },
  },
  {
    // The collection report, the same day as the monthly run, once its notices have gone out.
    id: 'collection-report',
    description: 'Monthly collection report for managers, after the monthly run, office time',
    when: (p) => ({ hour: String(p.report.hour), day: String(p.monthlyRun.dayOfMonth) }),
    starts: { function: 'collectionReport' },
  },
  {
    // Every unit's monthly statement, after the monthly run (its urging notices point to the statement),
    // through its state machine: one invocation per scan segment, a few at once.
    id: 'statement-run',
    description: 'Monthly statement of contribution results to every employer, after the monthly run, office time',
    when: (p) => ({ hour: String(p.statement.hour), day: String(p.statement.dayOfMonth) }),
    starts: { stateMachine: 'statementRun' },
  },
  {
    // What did not go out (the provider down or throttling, a worker that died): sent again daily from
    // the monthly run's day to the day after the latest kind's deadline (employees' notices: the 15th),
    // when what is still due raises the alarm.
    id: 'redrive-run',
    description: 'Daily redrive of notices, statements and employees\' notices not yet sent, through the day after their deadline, office time',
    when: (p) => ({ hour: String(p.redrive.hour), day: `${p.monthlyRun.dayOfMonth}-${redriveUntilDay(p)}` }),
    starts: { function: 'redriveRun' },
  },
  {
    // Participant reminders: the daily run, repeated hourly (a rerun takes what an earlier one left).
    id: 'reminder-run',
    description: 'Daily reminder run for voluntary SI and household HI, repeated hourly through the day, office time',
    when: (p) => ({ minute: String(p.reminders.dailyRun.minute), hour: `${p.reminders.dailyRun.hour}-${p.reminders.dailyRun.rerunUntilHour}` }),
    starts: { function: 'reminderRun' },
  },
  {
    // The renewal report of the month before.
    id: 'renewal-report',
    description: 'Monthly renewal report (voluntary SI and household HI) of the month before, office time',
    when: (p) => ({ hour: String(p.reminders.report.hour), day: String(p.reminders.report.dayOfMonth) }),
    starts: { function: 'renewalReport' },
    coversMonthBefore: true,
  },
  {
    // Reconciliation with the last full year's tax data, once a quarter: a tax-data check for each finding.
    id: 'reconciliation-run',
    description: 'Quarterly reconciliation with tax data: a tax-data check task for each finding, office time',
    when: (p) => ({
      hour: String(p.reconciliation.followUp.run.hour), day: String(p.reconciliation.followUp.run.dayOfMonth),
      month: QUARTER_FIRST_MONTHS.map((m) => m + p.reconciliation.followUp.run.monthOfQuarter - 1).join(','),
    }),
    starts: { function: 'reconciliationRun' },
  },
  {
    // Employees' right to know (issue 14): on the 10th, repeated hourly for a few hours (a rerun sends nothing twice).
    id: 'employee-notice-run',
    description: 'Monthly notices to the employees of units long in arrears, and to the units that they were told, office time',
    when: (p) => ({ hour: `${p.employeeNotice.hour}-${p.employeeNotice.rerunUntilHour}`, day: String(p.employeeNotice.dayOfMonth) }),
    starts: { function: 'employeeNoticeRun' },
  },
];

/** The day after the latest deadline of the kinds with one. */
const redriveUntilDay = (p: Policy) => Math.max(...Object.values(p.delivery).map((d) => d.deadlineDayOfMonth ?? 0)) + 1;

/** The schedule's construct id: `monthly-run` → `MonthlyRunSchedule` (the logical ids the stack has always had). */
export const scheduleConstructId = (s: Pick<ScheduleSpec, 'id'>) =>
  `${s.id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Schedule`;

/** The functions a schedule invokes directly (the others are started through a state machine). */
export const SCHEDULED_FUNCTIONS: readonly FunctionKey[] = SCHEDULES.flatMap((s) => ('function' in s.starts ? [s.starts.function] : []));

/** The function each state machine a schedule starts runs (the statement run's, once per segment). */
export const STATE_MACHINE_FUNCTION: Record<ScheduledStateMachine, FunctionKey> = { statementRun: 'statementRun', monthlyRun: 'monthlyRun' };

/** Every scheduled run's function, whether the scheduler invokes it or a state machine does: the alarms watch these. */
export const SCHEDULED_RUNS: readonly FunctionKey[] = [
  ...SCHEDULED_FUNCTIONS,
  ...SCHEDULES.flatMap((s) => ('stateMachine' in s.starts ? [STATE_MACHINE_FUNCTION[s.starts.stateMachine]] : [])),
];

/** One firing of a schedule: the local date and time in the policy's zone. */
export interface Firing {
  schedule: ScheduleSpec;
  date: IsoDate;
  hour: number;
  minute: number;
}

/**
 * The firings of the schedules on the days `from` (inclusive) to `to` (exclusive), in the order
 * they happen (a tie keeps the list's order). The cron fields are read as the scheduler reads them;
 * only the forms the list uses (numbers, lists, ranges, `*`) are understood, anything else throws.
 */
export function firings(schedules: readonly ScheduleSpec[], policyFor: (date: IsoDate) => Policy, from: IsoDate, to: IsoDate): Firing[] {
  const out: (Firing & { order: number })[] = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    const [, month, day] = date.split('-').map(Number) as [number, number, number];
    schedules.forEach((schedule, order) => {
      const when = schedule.when(policyFor(date));
      if (!cronField(when.month ?? '*', 1, 12).includes(month) || !cronField(when.day ?? '*', 1, 31).includes(day)) return;
      for (const hour of cronField(when.hour, 0, 23)) {
        for (const minute of cronField(when.minute ?? '0', 0, 59)) out.push({ schedule, date, hour, minute, order });
      }
    });
  }
  const at = (f: Firing) => `${f.date}T${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
  return out.sort((a, b) => at(a).localeCompare(at(b)) || a.order - b.order).map(({ order: _order, ...f }) => f);
}

/** The values a cron field matches. */
export function cronField(field: string, min: number, max: number): number[] {
  if (field === '*') return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`Cron field "${field}": only numbers, lists and ranges are read here`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (a < min || b > max || b < a) throw new Error(`Cron field "${field}": ${part} is outside ${min}-${max}`);
    for (let v = a; v <= b; v++) values.add(v);
  }
  return [...values].sort((x, y) => x - y);
}
