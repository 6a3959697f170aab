import { describe, expect, it } from 'vitest';
import { synthesizeTemplate } from '../../infra/definition.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { FUNCTION_KEYS } from '../../infra/registry/functions.ts';
import { cronField, firings, scheduleConstructId, SCHEDULES, STATE_MACHINE_FUNCTION } from '../../infra/registry/schedules.ts';
import { closingFirings, cycleEnd, cycleFirings, monthlyRunSchedule } from '../../local/embedded/timeline.ts';

/**
 * One list of schedules (infra/registry/schedules.ts): the stack makes an EventBridge schedule of
 * each entry, and the local run's month is the same entries' firings, in their order.
 */
const json = synthesizeTemplate();
const resources = Object.entries(json.Resources);
const policy = policyFor('2026-11-02');
const logicalIdOf = (type: string, prefix: string) => {
  const ids = resources.filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);
  expect(ids, `${type} ${prefix}*`).toHaveLength(1);
  return ids[0]!;
};

describe('SCHEDULES, in the stack', () => {
  it('makes each entry an AWS::Scheduler::Schedule with its expression in office time and its target, and nothing else', () => {
    const schedules = resources.filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(SCHEDULES.length);
    const queue = logicalIdOf('AWS::SQS::Queue', 'MonthlyRunDeadLetters');
    for (const spec of SCHEDULES) {
      const when = spec.when(policy);
      const [, schedule] = schedules.find(([id]) => id.startsWith(scheduleConstructId(spec)))!;
      const target = 'function' in spec.starts
        ? { 'Fn::GetAtt': [logicalIdOf('AWS::Lambda::Function', `${spec.starts.function}Function`), 'Arn'] }
        : { Ref: logicalIdOf('AWS::StepFunctions::StateMachine', { statementRun: 'StatementRun', monthlyRun: 'MonthlyRun' }[spec.starts.stateMachine]) };
      expect(schedule.Properties, spec.id).toMatchObject({
        Description: spec.description,
        ScheduleExpression: `cron(${when.minute ?? '0'} ${when.hour} ${when.day ?? '*'} ${when.month ?? '*'} ? *)`,
        ScheduleExpressionTimezone: policy.timeZone,
        State: 'ENABLED',
        Target: {
          Arn: target,
          Input: JSON.stringify(spec.input ?? {}),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
        },
      });
    }
  });

  it('names only functions of the registry and state machines that run one', () => {
    for (const spec of SCHEDULES) {
      const fn = 'function' in spec.starts ? spec.starts.function : STATE_MACHINE_FUNCTION[spec.starts.stateMachine];
      expect(FUNCTION_KEYS, spec.id).toContain(fn);
    }
    expect(new Set(SCHEDULES.map((s) => s.id)).size).toBe(SCHEDULES.length);
  });
});

describe('SCHEDULES, in the local run', () => {
  it('reads the cron fields as the scheduler does (numbers, lists, ranges, *)', () => {
    expect(cronField('1,4,7,10', 1, 12)).toEqual([1, 4, 7, 10]);
    expect(cronField('8-20', 0, 23)).toHaveLength(13);
    expect(cronField('*', 1, 12)).toHaveLength(12);
    expect(() => cronField('*/5', 0, 59)).toThrow(/only numbers/);
  });

  it('fires every entry at the times of its expression, in time order', () => {
    const all = firings(SCHEDULES, policyFor, '2027-01-01', '2027-02-01');
    const at = (f: (typeof all)[number]) => `${f.date}T${String(f.hour).padStart(2, '0')}:${String(f.minute).padStart(2, '0')}`;
    expect(all.map(at)).toEqual([...all.map(at)].sort());
    // Over a quarter every schedule fires (the quarterly list in its first month, the reconciliation run in its second).
    const quarter = firings(SCHEDULES, policyFor, '2027-01-01', '2027-04-01');
    for (const spec of SCHEDULES) {
      const when = spec.when(policyFor('2027-01-01'));
      const mine = quarter.filter((f) => f.schedule === spec);
      expect(mine.length, spec.id).toBeGreaterThan(0);
      for (const f of mine) {
        expect(cronField(when.hour, 0, 23)).toContain(f.hour);
        if (when.day) expect(cronField(when.day, 1, 31)).toContain(Number(f.date.slice(8)));
      }
    }
    expect(all.filter((f) => f.schedule.id === 'reminder-run')).toHaveLength(31 * 13);
    // Employees' right to know: on the 10th at 09:00, then its reruns at 10:00 and 11:00 (office time).
    expect(all.filter((f) => f.schedule.id === 'employee-notice-run').map((f) => [f.date, f.hour])).toEqual([['2027-01-10', 9], ['2027-01-10', 10], ['2027-01-10', 11]]);
    expect(firings(SCHEDULES, policyFor, '2026-11-01', '2026-12-01').some((f) => f.schedule.id === 'quarterly-list')).toBe(false);
  });

  it("plays a cycle as the schedules order it: the monthly run, then the others' firings up to the next run", () => {
    const monthly = monthlyRunSchedule().when(policy);
    const runDate = `2027-01-${monthly.day!.padStart(2, '0')}`;
    const cycle = cycleFirings(policyFor, runDate, '2027-02-02');
    // Every other schedule of the list, and only those (the renewal report of the month before included),
    // but the reconciliation run: it fires in the quarter's second month, in February's cycle.
    expect(new Set(cycle.map((f) => f.schedule.id))).toEqual(new Set(SCHEDULES.filter((s) => s.id !== 'monthly-run' && s.id !== 'reconciliation-run').map((s) => s.id)));
    const february = cycleFirings(policyFor, `2027-02-${monthly.day!.padStart(2, '0')}`, '2027-03-02');
    expect(february.filter((f) => f.schedule.id === 'reconciliation-run')).toHaveLength(1);
    expect(february.some((f) => f.schedule.id === 'quarterly-list')).toBe(false);
    expect(cycle.map((f) => f.at.getTime())).toEqual([...cycle.map((f) => f.at.getTime())].sort((a, b) => a - b));
    // The first firings of the cycle's day, each after the monthly run, as their expressions say.
    const firstDay = cycle.filter((f) => f.date === runDate);
    expect(firstDay.every((f) => f.hour > Number(monthly.hour))).toBe(true);
    expect(firstDay.map((f) => f.schedule.id)).toEqual(
      firings(SCHEDULES.filter((s) => s.id !== 'monthly-run'), policyFor, runDate, '2027-01-03').filter((f, i, a) => a.findIndex((g) => g.schedule === f.schedule) === i).map((f) => f.schedule.id),
    );
    // The hourly reruns of the reminder run fire once a day locally: one run per day of the cycle.
    expect(cycle.filter((f) => f.schedule.id === 'reminder-run')).toHaveLength(31);
    // And the employee notice run's: once, on the 10th.
    expect(cycle.filter((f) => f.schedule.id === 'employee-notice-run').map((f) => f.date)).toEqual(['2027-01-10']);
    // After the last cycle, the reports on the month before still come.
    expect(closingFirings(policyFor, '2027-02-01').map((f) => f.schedule.id)).toEqual(SCHEDULES.filter((s) => s.coversMonthBefore).map((s) => s.id));
  });

  it('serves the inbox on the last run\'s day: that day\'s firings run (statements, the collection report), the rest of the month does not', () => {
    const monthly = monthlyRunSchedule().when(policy);
    const runDate = `2027-01-${monthly.day!.padStart(2, '0')}`;
    expect(cycleEnd(runDate, { last: false, nextRunDate: '2027-02-02' })).toBe('2027-02-02');
    expect(cycleEnd(runDate, { last: true, served: false })).toBe('2027-02-01');
    const served = cycleFirings(policyFor, runDate, cycleEnd(runDate, { last: true, served: true }));
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((f) => f.date === runDate)).toBe(true);
    expect(served.map((f) => f.schedule.id)).toEqual(expect.arrayContaining(['statement-run', 'collection-report']));
    expect(served.some((f) => f.schedule.id === 'disclosure-run')).toBe(false);
  });
});
