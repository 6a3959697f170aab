import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { dynamoForTests } from '../support/dynamo.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { storePorts, type Ports } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { InvalidInputError } from '../../functions/commons/errors.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { priorityOf } from '../../functions/core/priority.ts';
import { runReconciliationFollowUp, type ReconciliationRunSummary } from '../../functions/steps/reconciliation-run.ts';
import { recordOutcome } from '../../functions/steps/record-outcome.ts';
import type { TaskRecord } from '../../functions/commons/records.ts';

/** The quarterly reconciliation run's follow-up on the committed sample district, through the store on dynalite. */
describe('tax-data checks on the sample district', () => {
  let env: Awaited<ReturnType<typeof dynamoForTests>>;
  let deps: Ports<'ledgers' | 'reconciliation' | 'officers' | 'tasks' | 'casework' | 'clock' | 'policyFor' | 'workflow'>;
  let first: ReconciliationRunSummary;
  let tasks: TaskRecord[];
  const resumed: string[] = [];
  beforeAll(async () => {
    env = await dynamoForTests();
    const report = await importFolder('data/sample', env.store);
    expect(report.errors).toEqual([]);
    deps = {
      ...storePorts(env.store), policyFor, clock: fixedClock(new Date('2026-11-20T08:00:00+07:00')),
      workflow: { resumeTask: async (token: string) => { resumed.push(token); return 'resumed' as const; } } as never,
    };
    first = await runReconciliationFollowUp(deps, { asOf: '2026-11-20' });
    const officers = await env.store.officersInDistrict('Tam Điệp');
    tasks = (await Promise.all(officers.map((o) => env.store.openTasksOf(o.officerId)))).flat().filter((t) => t.type === 'tax-data-check');
  }, 90_000);
  afterAll(() => env.close());

  it('opens one check per finding, to the unit\'s collector or (no SI unit) the district\'s team lead', async () => {
    expect(first.quarter).toBe('2026-Q4');
    expect(first.findings).toHaveLength(10);
    expect(first.tasksOpened).toBe(10);
    expect(first.unassigned).toBe(0);
    expect(tasks).toHaveLength(10);
    const officers = new Map((await env.store.officersInDistrict('Tam Điệp')).map((o) => [o.officerId, o]));
    for (const t of tasks) {
      const check = (await env.store.getTaxCheck(t.taskId))!;
      expect(t.token).toBe('none');
      expect(t.dueDate).toBe('2026-12-20');
      expect(officers.get(t.officerId)!.role).toBe(check.finding.unitCode === undefined ? 'team-lead' : 'collector');
      expect(t.unitCode).toBe(check.subjectCode);
      if (check.finding.unitCode) expect(t.unitCode).toBe(check.finding.unitCode);
    }
    // The finding is kept whole: the personal ID too (in the store, never in the run's result).
    const employees = await Promise.all(tasks.map((t) => env.store.getTaxCheck(t.taskId)));
    expect(employees.filter((c) => c!.finding.personalId && /^\d{12}$/.test(c!.finding.personalId)).length).toBe(5);
    const ids = (await readFile('data/sample/tax-employees.csv', 'utf8')).split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]!);
    const text = JSON.stringify(first);
    for (const id of ids) expect(text).not.toContain(id);
    // A check is not a case task: a payment does not close it.
    expect((await env.store.tasksOfCase('TD000001')).filter((t) => t.type === 'tax-data-check')).toEqual([]);
  });

  it('a rerun in the same quarter opens nothing new', async () => {
    // The schedule's rerun of the same day (a retried invocation): the same findings, the same task ids.
    const again = await runReconciliationFollowUp(deps, { asOf: '2026-11-20' });
    expect(again.quarter).toBe('2026-Q4');
    expect(again.tasksOpened).toBe(0);
    expect(again.tasksAlreadyOpen).toBe(10);
  });

  it('the unit\'s priority counts the employees found while their check is open', async () => {
    const ledger = await env.store.getLedger('TD000001');
    const history = await env.store.caseHistory('TD000001');
    const p = priorityOf({ periods: ledger.periods, payments: ledger.payments, history }, '2026-11-20', policyFor('2026-11-20'));
    expect(p.parts.find((x) => x.factor === 'unregistered-found')).toEqual({ factor: 'unregistered-found', points: 10, count: 2 });
  });

  it('records the outcomes this type allows, with their count or reason, and counts the registrations', async () => {
    const checks = await Promise.all(tasks.map(async (t) => ({ task: t, check: (await env.store.getTaxCheck(t.taskId))! })));
    const employee = checks.find((c) => c.check.finding.kind === 'unregistered-employee')!;
    const organisation = checks.find((c) => c.check.finding.kind === 'unregistered-organisation')!;
    const wage = checks.find((c) => c.check.finding.kind === 'under-declared-wage')!;
    const actor = employee.task.officerId;

    // Outcomes of other task types, a count missing, a reason not in the policy: refused, nothing changes.
    await expect(recordOutcome(deps, { taskId: employee.task.taskId, outcome: 'paid', actor })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(recordOutcome(deps, { taskId: employee.task.taskId, outcome: 'registered', actor })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(recordOutcome(deps, { taskId: wage.task.taskId, outcome: 'explained', reason: 'made-up', actor: wage.task.officerId })).rejects.toBeInstanceOf(InvalidInputError);
    expect((await env.store.getTask(employee.task.taskId))!.status).toBe('open');

    expect(await recordOutcome(deps, { taskId: employee.task.taskId, outcome: 'registered', registered: 3, actor })).toEqual({ resumed: false });
    expect(await recordOutcome(deps, { taskId: organisation.task.taskId, outcome: 'registered', registered: 2, actor: organisation.task.officerId })).toEqual({ resumed: false });
    await recordOutcome(deps, { taskId: wage.task.taskId, outcome: 'explained', reason: 'tax-data-error', actor: wage.task.officerId });
    expect(resumed).toEqual([]);

    const closed = (await env.store.getTask(employee.task.taskId))!;
    expect([closed.status, closed.outcome]).toEqual(['done', 'registered']);
    expect((await env.store.getTaxCheck(employee.task.taskId))!.result).toMatchObject({ outcome: 'registered', registered: 3, recordedBy: actor });
    expect((await env.store.getTaxCheck(wage.task.taskId))!.result).toMatchObject({ outcome: 'explained', reason: 'tax-data-error' });
    const registered = await env.store.registeredIn('2026-Q4');
    expect(registered.reduce((n, r) => n + r.registered, 0)).toBe(5);
    expect(registered.map((r) => r.unitCode).sort()).toEqual([employee.check.subjectCode, organisation.check.subjectCode].sort());
    // The roster itself is untouched (no name or SI code is known yet): the count sits beside it.
    expect((await env.store.rosterOf('TD000001', () => {})).length).toBeGreaterThan(0);

    // The employee's check is no longer open: the unit's priority counts one employee less.
    const ledger = await env.store.getLedger('TD000001');
    const history = await env.store.caseHistory('TD000001');
    const p = priorityOf({ periods: ledger.periods, payments: ledger.payments, history }, '2026-11-20', policyFor('2026-11-20'));
    expect(p.parts.find((x) => x.factor === 'unregistered-found')?.count).toBe(1);
    // The organisation with no SI unit has no case history written.
    expect(await env.store.caseHistory(organisation.check.subjectCode)).toEqual([]);
  });
});
