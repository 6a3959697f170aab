import { addDays, addMonths, periodOf, type IsoDate, type Period } from '../../functions/core/dates.ts';
import type { Policy } from '../../functions/core/policy.ts';
import { firings, SCHEDULES, type Firing, type ScheduleSpec } from '../../infra/registry/schedules.ts';

/**
 * The local run's calendar: the firings of the stack's schedules (infra/registry/schedules.ts, the
 * list the CDK stack makes its EventBridge schedules from), so `npm start` runs a month in the
 * order AWS would. Two compressions, both said here: a schedule that fires several times a day
 * (the reminder run's hourly reruns) fires once a day, at its first time (a rerun takes only what an
 * earlier run left, and locally the first run has time for everything); and a first cycle that
 * starts after some of its month's firings (`--as-of` later than the policy's day) runs them on its
 * first day, at their own times.
 */
export interface LocalFiring extends Firing {
  /** The instant, in the office's zone (UTC+7, no daylight saving). */
  at: Date;
}

const MONTHLY_RUN = 'monthly-run';

/** The monthly run's schedule: it starts each cycle (local/start.ts runs it on the cycle's run date). */
export const monthlyRunSchedule = (schedules: readonly ScheduleSpec[] = SCHEDULES): ScheduleSpec => {
  const s = schedules.find((x) => x.id === MONTHLY_RUN);
  if (!s) throw new Error(`No ${MONTHLY_RUN} schedule in the registry`);
  return s;
};

/** The instant of a local date and time in the office's zone. */
export function officeTime(date: IsoDate, hour: number, minute = 0): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+07:00`);
}

/**
 * A cycle's firings after its monthly run: every other schedule's, from the cycle's run date
 * (`runDate`, or the policy's monthly-run day of that month if earlier) up to `end` (exclusive),
 * compressed as above, in order.
 */
export function cycleFirings(policyFor: (date: IsoDate) => Policy, runDate: IsoDate, end: IsoDate, schedules: readonly ScheduleSpec[] = SCHEDULES): LocalFiring[] {
  const monthly = monthlyRunSchedule(schedules).when(policyFor(runDate));
  const scheduledDay = `${periodOf(runDate)}-${String(monthly.day ?? '1').padStart(2, '0')}`;
  const from = scheduledDay < runDate && /^\d+$/.test(monthly.day ?? '') ? scheduledDay : runDate;
  const seen = new Set<string>();
  const out: LocalFiring[] = [];
  for (const f of firings(schedules.filter((s) => s.id !== MONTHLY_RUN), policyFor, from, end)) {
    const date = f.date < runDate ? runDate : f.date;
    const key = `${f.schedule.id}|${date}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...f, date, at: officeTime(date, f.hour, f.minute) });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The firings that report on the month before (the renewal report) and fall after the last cycle:
 * their first firing on or after `end`, so the last month gets its report too.
 */
export function closingFirings(policyFor: (date: IsoDate) => Policy, end: IsoDate, schedules: readonly ScheduleSpec[] = SCHEDULES): LocalFiring[] {
  const after = `${addMonths(periodOf(end), 2)}-01`;
  return schedules.filter((s) => s.coversMonthBefore).flatMap((s) => {
    const first = firings([s], policyFor, end, after)[0];
    return first ? [{ ...first, at: officeTime(first.date, first.hour, first.minute) }] : [];
  });
}

/** The month a firing of a month-before report reports on. */
export const reportedMonth = (f: Pick<Firing, 'date'>): Period => addMonths(periodOf(f.date), -1);

/**
 * Where a cycle's firings stop (exclusive): the next cycle's run date; after the last cycle, the
 * month's end. Served (`--serve`), the last cycle stops after its run date, so the inbox opens on
 * the run's day with that day's work done (statements, redrive, the collection report) and the
 * tasks due in the days after it, not all overdue; the rest of that month's schedule is not run.
 */
export function cycleEnd(runDate: IsoDate, next: { last: false; nextRunDate: IsoDate } | { last: true; served: boolean }): IsoDate {
  if (!next.last) return next.nextRunDate;
  return next.served ? addDays(runDate, 1) : `${addMonths(periodOf(runDate), 1)}-01`;
}
