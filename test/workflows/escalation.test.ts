import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import type { LocalExecution } from '../../local/embedded/step-functions.ts';
import { clock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { STATE } from '../../workflows/state-names.ts';
import type { TaskOutcome } from '../../functions/commons/records.ts';
import { awsDeps } from '../../functions/commons/deps.ts';
import { importCollectionFiles } from '../../functions/import/collection-file.ts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Each path through the escalation, run on the state machine definition the CDK app synthesizes,
 * with every Task state mapped to the real handler, on dynalite and the SES stand-in.
 */
const policy = POLICY_VERSIONS.at(-1)!;
const CYCLE = '2026-11';
const AS_OF = '2026-11-02';
let stack: LocalStack;
let sfn: SFNClient;
/** What the simulated officer does when a unit's task opens. */
type Answer = {
  outcome: TaskOutcome; payFirst?: boolean; refusedFirst?: TaskOutcome;
  promise?: { payBy: string; amount: number }; instalments?: { dueDate: string; amount: number }[];
};
const officerPlan = new Map<string, Answer | 'no-response' | 'unit-pays-while-waiting' | 'bank-file-pays-while-waiting'>();
const settled: Promise<unknown>[] = [];
/** What recording an outcome the task's type does not allow returned (the plan's `refusedFirst`). */
const refused = new Map<string, unknown>();

beforeAll(async () => {
  clock.setNow(new Date(`${AS_OF}T06:00:00+07:00`));
  stack = await startLocalStack({
    // Time compressed: an unanswered task is past its due date after 3 s (answers here take milliseconds).
    taskTimeoutSeconds: 3,
    onTaskOpened: (task) => {
      // The team lead's task (after the officer's ran out) follows the plan under `<unit>:lead`, an
      // inspector's task opened on a referral the one under `<unit>:inspector` when there is one.
      const plan = officerPlan.get(task.assignment.escalated ? `${task.unitCode}:lead` : task.unitCode);
      const inspectorPlan = task.assignment.taskType === 'inspection' ? officerPlan.get(`${task.unitCode}:inspector`) : undefined;
      if (inspectorPlan && typeof inspectorPlan === 'object') {
        settled.push(stack.lambdas.recordOutcome({ taskId: task.assignment.taskId, ...inspectorPlan, actor: task.assignment.officerId }));
        return;
      }
      if (!plan || plan === 'no-response') return;
      if (plan === 'bank-file-pays-while-waiting') {
        settled.push(importBankFile(task.unitCode));
        return;
      }
      if (plan === 'unit-pays-while-waiting') {
        settled.push(stack.lambdas.recordPayment({ unitCode: task.unitCode, reference: `BANK-${task.unitCode}`, paidOn: AS_OF, amount: 500_000_000, actor: 'import:bank-file' }));
        return;
      }
      settled.push((async () => {
        if (plan.refusedFirst) {
          refused.set(task.unitCode, await stack.lambdas.recordOutcome({ taskId: task.assignment.taskId, outcome: plan.refusedFirst, actor: task.assignment.officerId }).catch((e: unknown) => e));
        }
        if (plan.payFirst) await stack.store.putPayments([{ unitCode: task.unitCode, reference: `PAY-${task.unitCode}`, paidOn: AS_OF, amount: 500_000_000 }]);
        const { payFirst: _pay, refusedFirst: _refused, ...answer } = plan;
        await stack.lambdas.recordOutcome({ taskId: task.assignment.taskId, ...answer, actor: task.assignment.officerId });
      })());
    },
    overrideTasks: {
      // The officer's answer lands as the due date passes: the task is closed with its outcome, but
      // the wait has already ended (the answer's resume finds the token gone).
      [STATE.recordTaskTimeout]: async (input) => {
        const { unitCode, taskId } = input as { unitCode: string; taskId: string };
        if (unitCode === 'RACE0001') await stack.store.closeTask(taskId, { status: 'done', outcome: 'contacted', closedAt: clock.now().toISOString(), closedBy: 'cb.tran.thi.b' });
        return stack.lambdas.taskTimeout(input);
      },
      [STATE.sendUrgingNotice]: async (input) => {
        if ((input as { unitCode: string }).unitCode === 'FAIL0001') throw Object.assign(new Error('SES is down'), { name: 'MessageRejected' });
        return stack.lambdas.sendNotice(input);
      },
    },
  });
  sfn = new SFNClient({ endpoint: process.env.AWS_ENDPOINT_URL_SFN });
  await stack.store.putOfficers([
    { officerId: 'cb.tran.thi.b', name: 'Trần Thị B', email: 'b@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true, teamLeadId: 'tl.vo.van.d' },
    { officerId: 'tl.vo.van.d', name: 'Võ Văn D', email: 'd@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'team-lead', active: true },
    { officerId: 'tt.pham.van.c', name: 'Phạm Văn C', email: 'c@bhxh.example.vn', district: 'Tam Điệp', communes: [], role: 'inspector', active: true },
  ]);
}, 120_000);
afterAll(() => stack?.close());

/** A unit with six periods due by 2026-10-31, the last `behind` of them unpaid. */
async function seedUnit(unitCode: string, behind: number, district = 'Tam Điệp') {
  await stack.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district, commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-04', i));
  await stack.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  await stack.store.putPayments(periods.slice(0, 6 - behind).map((period) => ({ unitCode, reference: `UNC-${unitCode}-${period}`, paidOn: deadlineOf(period, policy), amount: 20_000_000 })));
}

async function escalate(unitCode: string, name = `${unitCode}-${CYCLE}`): Promise<LocalExecution> {
  await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name, input: JSON.stringify({ unitCode, cycle: CYCLE, asOf: AS_OF }) }));
  const execution = stack.sfn.list().find((e) => e.name === name)!;
  await execution.done;
  await Promise.all(settled);
  await execution.done;
  return execution;
}

/** The bank's collection file of the day, paying the unit in full, imported as staff would (npm run cli -- import-payments). */
async function importBankFile(unitCode: string) {
  const dir = await mkdtemp(join(tmpdir(), 'bank-'));
  const path = join(dir, 'bank-2026-11-02.csv');
  await writeFile(path, `value_date,bank_ref,unit_code,credit_amount,narrative\n02/11/2026,FT${unitCode},${unitCode},500000000,BHXH ${unitCode}\n`);
  bankFiles.set(unitCode, path);
  return importCollectionFiles([path], awsDeps());
}
const bankFiles = new Map<string, string>();

const emailsTo = (unitCode: string) => stack.ses.peek().filter((e) => e.to.includes(`${unitCode.toLowerCase()}@example.vn`));
const kinds = async (unitCode: string) => (await stack.store.caseHistory(unitCode)).map((e) => e.kind);
const historyOf = (unitCode: string) => stack.store.caseHistory(unitCode);
/** An event of a kind, with these fields (at least) in its detail. */
const event = (kind: string, detail?: Record<string, unknown>) => expect.objectContaining({ kind, ...(detail && { detail: expect.objectContaining(detail) }) });

describe('escalation workflow (synthesized definition, local)', () => {
  it('closes the case without a notice when the debt was paid before the escalation ran', async () => {
    await seedUnit('PAID0001', 0);
    await stack.store.putCase({ unitCode: 'PAID0001', status: 'open', stage: 'urging-notice', anchorPeriod: '2026-09', monthsOverdue: 1, debt: 1, cycle: '2026-10', openedOn: '2026-10-02', updatedAt: 'x' });
    const e = await escalate('PAID0001');
    expect(e.status).toBe('SUCCEEDED');
    expect(e.path).toEqual([STATE.assessCase, STATE.debtCleared, STATE.closeCase, STATE.caseClosed]);
    expect(emailsTo('PAID0001')).toHaveLength(0);
    const ledger = await stack.store.getLedger('PAID0001');
    expect(ledger.case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
  });

  it('sends one urging notice at 1 month overdue and ends the cycle there', async () => {
    await seedUnit('LATE0001', 1);
    const e = await escalate('LATE0001');
    expect(e.path).toEqual([STATE.assessCase, STATE.debtCleared, STATE.sendUrgingNotice, STATE.afterNotice, STATE.cycleDone]);
    expect(emailsTo('LATE0001')).toHaveLength(1);
    expect(emailsTo('LATE0001')[0]!.subject).toContain('LATE0001');
    expect(await stack.store.getNotice('LATE0001', CYCLE)).toMatchObject({ status: 'sent', stage: 'urging-notice' });
  });

  it('never sends the cycle notice twice: not on a repeated start, not from a second execution', async () => {
    await seedUnit('LATE0011', 1);
    await escalate('LATE0011');
    expect(emailsTo('LATE0011')).toHaveLength(1);
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: `LATE0011-${CYCLE}`, input: '{"different":true}' })))
      .rejects.toBeInstanceOf(ExecutionAlreadyExists);
    const again = await escalate('LATE0011', `LATE0011-${CYCLE}-resumed`);
    expect(again.status).toBe('SUCCEEDED');
    expect(emailsTo('LATE0011')).toHaveLength(1);
  });

  it('at 2 months assigns the district collector and waits for the outcome', async () => {
    await seedUnit('LATE0002', 2);
    officerPlan.set('LATE0002', { outcome: 'contacted' });
    const e = await escalate('LATE0002');
    expect(e.path).toEqual([
      STATE.assessCase, STATE.debtCleared, STATE.sendUrgingNotice, STATE.afterNotice, STATE.assignOfficer, STATE.officerAvailable,
      STATE.waitForOutcome, STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.cycleDone,
    ]);
    expect(await stack.store.getTask(`LATE0002-${CYCLE}-visit`)).toMatchObject({ status: 'done', outcome: 'contacted', officerId: 'cb.tran.thi.b' });
    const visit = { taskId: `LATE0002-${CYCLE}-visit`, taskType: 'visit', escalated: false };
    expect(await historyOf('LATE0002')).toEqual(expect.arrayContaining([
      event('assessed', { phase: 'start' }), event('notice-sent'), event('officer-assigned', { ...visit, role: 'collector' }), event('task-opened', visit),
      event('outcome-recorded', { ...visit, outcome: 'contacted' }), event('assessed', { phase: 'after-outcome' }),
    ]));
    expect(await stack.store.openTaskCount('cb.tran.thi.b')).toBe(0);
  });

  it('ends the escalation at once when the officer reports the unit paid', async () => {
    await seedUnit('LATE0012', 2);
    officerPlan.set('LATE0012', { outcome: 'paid', payFirst: true });
    const e = await escalate('LATE0012');
    expect(e.path.slice(-4)).toEqual([STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.closeCase, STATE.caseClosed]);
    expect((await stack.store.getLedger('LATE0012')).case?.status).toBe('closed');
  });

  it('passes a task left unanswered past its due date to the team lead, and tells the officer', async () => {
    await seedUnit('LATE0022', 2);
    officerPlan.set('LATE0022', 'no-response');
    officerPlan.set('LATE0022:lead', 'no-response');
    const e = await escalate('LATE0022');
    expect(e.path.slice(-9)).toEqual([
      STATE.waitForOutcome, STATE.recordTaskTimeout, STATE.answeredInTime, STATE.assignTeamLead, STATE.teamLeadAvailable,
      STATE.waitForTeamLead, STATE.recordTeamLeadTimeout, STATE.teamLeadAnsweredInTime, STATE.cycleDone,
    ]);
    expect(await stack.store.getTask(`LATE0022-${CYCLE}-visit`)).toMatchObject({ status: 'timed-out', closedBy: 'system' });
    expect(await stack.store.getTask(`LATE0022-${CYCLE}-visit-escalated`)).toMatchObject({ status: 'timed-out', officerId: 'tl.vo.van.d', role: 'team-lead' });
    expect(stack.ses.peek().filter((m) => m.to.includes('b@bhxh.example.vn') && m.subject.includes(`LATE0022-${CYCLE}-visit quá hạn`))).toHaveLength(1);
    expect(await historyOf('LATE0022')).toEqual(expect.arrayContaining([
      event('task-timed-out', { taskId: `LATE0022-${CYCLE}-visit`, taskType: 'visit', escalated: false, escalating: true }),
      event('officer-assigned', { taskId: `LATE0022-${CYCLE}-visit-escalated`, taskType: 'visit', escalated: true, role: 'team-lead', officerId: 'tl.vo.van.d', escalatedFrom: 'cb.tran.thi.b' }),
      event('task-timed-out', { taskId: `LATE0022-${CYCLE}-visit-escalated`, taskType: 'visit', escalated: true, escalating: false }),
    ]));
    // A late answer is refused: the task is no longer open.
    await expect(stack.lambdas.recordOutcome({ taskId: `LATE0022-${CYCLE}-visit`, outcome: 'contacted', actor: 'cb.tran.thi.b' })).rejects.toMatchObject({ name: 'TaskNotOpen' });
  });

  it('an answer recorded as the due date passes is the outcome: the task is not passed to the team lead, the officer is not told it is overdue', async () => {
    await seedUnit('RACE0001', 2);
    officerPlan.set('RACE0001', 'no-response');
    const e = await escalate('RACE0001');
    const from = e.path.indexOf(STATE.waitForOutcome);
    expect(e.path.slice(from, from + 6)).toEqual([STATE.waitForOutcome, STATE.recordTaskTimeout, STATE.answeredInTime, STATE.useRecordedOutcome, STATE.reassessAfterOutcome, STATE.afterOutcome]);
    expect(e.path).not.toContain(STATE.assignTeamLead);
    expect(await stack.store.getTask(`RACE0001-${CYCLE}-visit`)).toMatchObject({ status: 'done', outcome: 'contacted' });
    expect(await stack.store.getTask(`RACE0001-${CYCLE}-visit-escalated`)).toBeUndefined();
    expect(stack.ses.peek().filter((m) => m.subject.includes(`RACE0001-${CYCLE}-visit quá hạn`))).toHaveLength(0);
    expect(await kinds('RACE0001')).not.toContain('task-timed-out');
  });

  it('at 3 months opens an inspection task for an inspector', async () => {
    await seedUnit('LATE0003', 3);
    officerPlan.set('LATE0003', { outcome: 'penalty-proposed', refusedFirst: 'contacted' });
    const e = await escalate('LATE0003');
    expect(e.status).toBe('SUCCEEDED');
    // A visit's outcome is refused on an inspection, and leaves the task open for the inspector's own.
    expect(refused.get('LATE0003')).toMatchObject({ name: 'InvalidInput', issues: [{ field: 'outcome', reason: 'must be one of paid, plan-agreed, penalty-proposed, closed (inspection task)' }] });
    // The debt is not cleared by a proposed penalty: the case stays open for the next cycle.
    expect(e.path.slice(-3)).toEqual([STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.cycleDone]);
    expect((await stack.store.caseHistory('LATE0003')).find((x) => x.kind === 'outcome-recorded' && x.detail.taskType === 'inspection')?.detail).toMatchObject({ outcome: 'penalty-proposed' });
    // The inspector's referral pack was built as the task opened: its hash is on the case, its content is not.
    const history = await stack.store.caseHistory('LATE0003');
    const built = history.find((x) => x.kind === 'referral-pack-built');
    expect(built).toMatchObject({
      actor: 'system', detail: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), asOf: AS_OF, taskId: `LATE0003-${CYCLE}-inspection`, taskType: 'inspection', escalated: false, inspectorId: 'tt.pham.van.c' },
    });
    expect(Object.keys(built!.detail).sort()).toEqual(['asOf', 'escalated', 'inspectorId', 'sha256', 'taskId', 'taskType']);
    const inspectionOpened = history.findIndex((x) => x.kind === 'task-opened' && x.detail.taskType === 'inspection');
    expect(inspectionOpened).toBeGreaterThan(-1);
    expect(history.indexOf(built!)).toBeLessThan(inspectionOpened);
    // Rebuilt now, the pack holds the notice sent and the inspector's outcome, and only what the inspector needs of the unit.
    const { loadReferralPack } = await import('../../functions/steps/referral-pack.ts');
    const { pack } = await loadReferralPack(awsDeps(), { unitCode: 'LATE0003', asOf: AS_OF });
    expect(pack.notices).toEqual([expect.objectContaining({ cycle: CYCLE, status: 'sent', stage: 'inspection', contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(pack.contacts.map((c) => [c.event, c.outcome])).toEqual([['task-opened', null], ['outcome', 'penalty-proposed']]);
    expect(pack.position).toMatchObject({ monthsOverdue: 3, overduePrincipal: 60_000_000 });
    expect(JSON.stringify(pack)).not.toMatch(/@example\.vn|0912345678/);
    expect(await stack.store.getTask(`LATE0003-${CYCLE}-inspection`)).toMatchObject({ type: 'inspection', role: 'inspector', officerId: 'tt.pham.van.c', status: 'done' });
    expect((await stack.store.getLedger('LATE0003')).case).toMatchObject({ stage: 'inspection', inspectorId: 'tt.pham.van.c', monthsOverdue: 3 });
  });

  it('records that no officer could be assigned instead of failing', async () => {
    await seedUnit('LATE0004', 2, 'Nho Quan');
    const e = await escalate('LATE0004');
    expect(e.path.slice(-3)).toEqual([STATE.assignOfficer, STATE.officerAvailable, STATE.cycleDone]);
    expect(await historyOf('LATE0004')).toEqual(expect.arrayContaining([event('no-officer-available', { taskType: 'visit', escalated: false, role: 'collector', district: 'Nho Quan' })]));
  });

  it('records a failed step on the case and fails the execution visibly', async () => {
    await seedUnit('FAIL0001', 1);
    const e = await escalate('FAIL0001');
    expect(e.status).toBe('FAILED');
    expect(e.path.slice(-2)).toEqual([STATE.recordFailure, STATE.escalationFailed]);
    const failed = (await stack.store.caseHistory('FAIL0001')).find((x) => x.kind === 'step-failed');
    expect(failed?.detail).toEqual({ error: 'MessageRejected' });
    expect(emailsTo('FAIL0001')).toHaveLength(0);
  });

  it('a payment arriving while the officer task waits ends the escalation at once', async () => {
    await seedUnit('LATE0032', 2);
    officerPlan.set('LATE0032', 'unit-pays-while-waiting');
    const e = await escalate('LATE0032');
    expect(e.path.slice(-5)).toEqual([STATE.waitForOutcome, STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.closeCase, STATE.caseClosed]);
    expect(await stack.store.getTask(`LATE0032-${CYCLE}-visit`)).toMatchObject({ status: 'cancelled', outcome: 'paid', closedBy: 'import:bank-file' });
    expect((await stack.store.getLedger('LATE0032')).case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
    expect(emailsTo('LATE0032').map((m) => m.subject)).toEqual([expect.stringContaining('Thông báo đôn đốc'), expect.stringContaining('Xác nhận đã nhận tiền')]);
    // Told once the task was given to them, once it closed.
    expect(stack.ses.peek().filter((m) => m.to.includes('b@bhxh.example.vn') && m.subject.includes('LATE0032-2026-11-visit')).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Nhiệm vụ mới LATE0032-2026-11-visit: /), expect.stringMatching(/^Nhiệm vụ LATE0032-2026-11-visit đã đóng/),
    ]);
    expect(await stack.store.openTaskCount('cb.tran.thi.b')).toBe(0);
    expect(await historyOf('LATE0032')).toEqual(expect.arrayContaining([
      event('payment-recorded', { reference: 'BANK-LATE0032' }), event('task-closed-by-payment', { taskType: 'visit', escalated: false, reference: 'BANK-LATE0032' }), event('case-closed'),
    ]));
  });

  it('a bank collection file paying a unit whose officer task waits ends the escalation; the same file again sends nothing', async () => {
    await seedUnit('LATE0052', 2);
    officerPlan.set('LATE0052', 'bank-file-pays-while-waiting');
    const e = await escalate('LATE0052');
    expect(e.path.slice(-5)).toEqual([STATE.waitForOutcome, STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.closeCase, STATE.caseClosed]);
    expect(await stack.store.getTask(`LATE0052-${CYCLE}-visit`)).toMatchObject({ status: 'cancelled', outcome: 'paid', closedBy: 'import:bank-file' });
    expect((await stack.store.getLedger('LATE0052')).case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
    expect(emailsTo('LATE0052').map((m) => m.subject)).toEqual([expect.stringContaining('Thông báo đôn đốc'), expect.stringContaining('Xác nhận đã nhận tiền')]);
    // Told once the task was given to them, once it closed.
    expect(stack.ses.peek().filter((m) => m.to.includes('b@bhxh.example.vn') && m.subject.includes('LATE0052-2026-11-visit')).map((m) => m.subject)).toEqual([
      expect.stringMatching(/^Nhiệm vụ mới LATE0052-2026-11-visit: /), expect.stringMatching(/^Nhiệm vụ LATE0052-2026-11-visit đã đóng/),
    ]);
    expect(await historyOf('LATE0052')).toEqual(expect.arrayContaining([
      event('payment-recorded', { reference: 'BANK-FTLATE0052' }), event('task-closed-by-payment', { taskType: 'visit', escalated: false, reference: 'BANK-FTLATE0052' }), event('case-closed'),
    ]));

    const before = { sent: stack.ses.peek().length, history: await stack.store.caseHistory('LATE0052'), ledger: await stack.store.getLedger('LATE0052') };
    const again = await importCollectionFiles([bankFiles.get('LATE0052')!], awsDeps());
    expect(again).toMatchObject({ recorded: 0, duplicate: 1, escalationsEnded: 0, errors: [] });
    expect(stack.ses.peek()).toHaveLength(before.sent);
    expect(await stack.store.caseHistory('LATE0052')).toEqual(before.history);
    expect(await stack.store.getLedger('LATE0052')).toEqual(before.ledger);
  });

  it('recording the same payment again changes and sends nothing; reusing its reference for another amount is refused', async () => {
    await seedUnit('DUPL0001', 2);
    const payment = { unitCode: 'DUPL0001', reference: 'BANK-DUPL0001', paidOn: AS_OF, amount: 500_000_000, actor: 'import:bank-file' };
    expect(await stack.lambdas.recordPayment(payment)).toMatchObject({ outcome: 'recorded' });
    const before = { sent: stack.ses.peek().length, history: await stack.store.caseHistory('DUPL0001') };
    const again = await stack.lambdas.recordPayment(payment);
    expect(again).toMatchObject({ outcome: 'duplicate', escalation: 'none' });
    expect(stack.ses.peek()).toHaveLength(before.sent);
    expect(await stack.store.caseHistory('DUPL0001')).toEqual(before.history);
    await expect(stack.lambdas.recordPayment({ ...payment, amount: 1 }))
      .rejects.toMatchObject({ name: 'PaymentConflict' });
  });

  it('a payment that clears a unit with no task waiting closes its case directly', async () => {
    // One month overdue: the notice goes, the case is open, no task.
    await seedUnit('LATE0021', 1);
    await escalate('LATE0021');
    expect((await stack.store.getLedger('LATE0021')).case).toMatchObject({ status: 'open', stage: 'urging-notice' });
    const r = await stack.lambdas.recordPayment({ unitCode: 'LATE0021', reference: 'POST-001', paidOn: AS_OF, amount: 30_000_000, actor: 'cb.tran.thi.b' });
    expect(r).toMatchObject({ outcome: 'recorded', escalation: 'ended', debt: 0 });
    expect((await stack.store.getLedger('LATE0021')).case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
  });

  it('a part payment leaves the escalation running', async () => {
    await seedUnit('LATE0005', 3);
    const r = await stack.lambdas.recordPayment({ unitCode: 'LATE0005', reference: 'PART-1', paidOn: AS_OF, amount: 20_000_000, actor: 'cb.tran.thi.b' });
    expect(r).toMatchObject({ outcome: 'recorded', escalation: 'none' });
    const e = await escalate('LATE0005');
    // Re-anchored on the next unpaid period: two months overdue now, so an officer visit, not inspection.
    expect((await stack.store.getLedger('LATE0005')).case).toMatchObject({ stage: 'officer-visit', anchorPeriod: '2026-08', monthsOverdue: 2 });
    expect(e.status).toBe('SUCCEEDED');
  });

  it('a unit on hold gets no notice and no task; after the end date follow-up resumes by itself', async () => {
    await seedUnit('HOLD0001', 3);
    const { setHold } = await import('../../functions/steps/set-hold.ts');
    const { awsDeps } = await import('../../functions/commons/deps.ts');
    await setHold(awsDeps(), { unitCode: 'HOLD0001', reason: 'force-majeure', until: '2026-11-30', note: 'Bão số 3: nhà xưởng ngập', setBy: 'tt.le.c' });
    const held = await escalate('HOLD0001');
    expect(held.path).toEqual([STATE.assessCase, STATE.debtCleared, STATE.cycleDone]);
    expect(emailsTo('HOLD0001')).toHaveLength(0);
    expect(await historyOf('HOLD0001')).toEqual(expect.arrayContaining([
      event('hold-set', { reason: 'force-majeure', until: '2026-11-30' }), event('paused', { phase: 'start', by: 'hold', reason: 'force-majeure', until: '2026-11-30' }),
    ]));
    // The next cycle, after the hold's end date: escalation resumes without anyone lifting it.
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: 'HOLD0001-2026-12', input: JSON.stringify({ unitCode: 'HOLD0001', cycle: '2026-12', asOf: '2026-12-02' }) }));
    const resumed = stack.sfn.list().find((x) => x.name === 'HOLD0001-2026-12')!;
    await resumed.done;
    expect(resumed.path).toContain(STATE.sendUrgingNotice);
    expect(emailsTo('HOLD0001')).toHaveLength(1);
  });

  it('refuses a hold longer than the policy allows for its reason', async () => {
    await seedUnit('HOLD0002', 3);
    const { setHold } = await import('../../functions/steps/set-hold.ts');
    const { awsDeps } = await import('../../functions/commons/deps.ts');
    await expect(setHold(awsDeps(), { unitCode: 'HOLD0002', reason: 'dispute', until: '2027-06-30', note: 'Tranh chấp số liệu', setBy: 'tt.le.c' }))
      .rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'until', reason: expect.stringContaining('at most 60 days') }] });
  });

  it('the team lead answers a task the officer let run out, and the workflow goes on', async () => {
    await seedUnit('LATE0042', 2);
    officerPlan.set('LATE0042', 'no-response');
    officerPlan.set('LATE0042:lead', { outcome: 'promised-to-pay', promise: { payBy: '2026-11-25', amount: 45_000_000 } });
    const e = await escalate('LATE0042');
    expect(e.path.slice(-4)).toEqual([STATE.waitForTeamLead, STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.cycleDone]);
    expect(await stack.store.getTask(`LATE0042-${CYCLE}-visit-escalated`)).toMatchObject({ status: 'done', outcome: 'promised-to-pay', officerId: 'tl.vo.van.d' });
    // The unit keeps its own collector: the team lead covers the overdue task only.
    expect((await stack.store.getLedger('LATE0042')).case?.officerId).toBe('cb.tran.thi.b');
  });

  it("a payment that clears the debt while the team lead's task waits closes that task and ends its execution", async () => {
    await seedUnit('LATE0062', 2);
    officerPlan.set('LATE0062', 'no-response');
    officerPlan.set('LATE0062:lead', 'unit-pays-while-waiting');
    const e = await escalate('LATE0062');
    expect(e.path.slice(-5)).toEqual([STATE.waitForTeamLead, STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.closeCase, STATE.caseClosed]);
    expect(await stack.store.getTask(`LATE0062-${CYCLE}-visit-escalated`)).toMatchObject({ status: 'cancelled', outcome: 'paid', officerId: 'tl.vo.van.d' });
    expect((await stack.store.tasksOfCase('LATE0062', CYCLE)).filter((t) => t.status === 'open')).toEqual([]);
    expect((await stack.store.getLedger('LATE0062')).case).toMatchObject({ status: 'closed', closeReason: 'debt-cleared' });
    // The team lead is told the task closed; the payment is on the case once.
    expect(stack.ses.peek().filter((m) => m.to.includes('d@bhxh.example.vn') && m.subject.includes('LATE0062') && m.subject.includes('đã đóng'))).toHaveLength(1);
    // And was told, with its link, when it became theirs.
    expect(stack.ses.peek().filter((m) => m.to.includes('d@bhxh.example.vn') && m.subject.startsWith('Nhiệm vụ mới LATE0062-2026-11-visit-escalated:'))
      .map((m) => m.text)).toEqual([expect.stringContaining('http://127.0.0.1:8080/inbox/tasks/LATE0062-2026-11-visit-escalated')]);
  });
  /** Starts the unit's execution for a later cycle and waits for it. */
  async function nextCycle(unitCode: string, cycle: string, asOf: string): Promise<LocalExecution> {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: `${unitCode}-${cycle}`, input: JSON.stringify({ unitCode, cycle, asOf }) }));
    const execution = stack.sfn.list().find((x) => x.name === `${unitCode}-${cycle}`)!;
    await execution.done;
    await Promise.all(settled);
    await execution.done;
    return execution;
  }

  it('a promise to pay pauses escalation; when it is missed the next notice says so', async () => {
    await seedUnit('PROM0001', 2);
    officerPlan.set('PROM0001', { outcome: 'promised-to-pay', promise: { payBy: '2026-11-16', amount: 45_000_000 } });
    const e = await escalate('PROM0001');
    expect(e.path.slice(-3)).toEqual([STATE.reassessAfterOutcome, STATE.afterOutcome, STATE.cycleDone]);
    expect(await historyOf('PROM0001')).toEqual(expect.arrayContaining([
      event('arrangement-agreed', { arrangement: 'promise', agreedOn: '2026-11-02' }), event('paused', { phase: 'after-outcome', by: 'promise', nextDueDate: '2026-11-16' }),
    ]));
    // Nothing paid by 2026-11-16 (plus the policy's grace): the December run resumes, and says why.
    officerPlan.set('PROM0001:inspector', { outcome: 'penalty-proposed' });
    const december = await nextCycle('PROM0001', '2026-12', '2026-12-02');
    expect(december.path).toContain(STATE.sendUrgingNotice);
    const notices = emailsTo('PROM0001');
    expect(notices).toHaveLength(2);
    expect(notices[1]!.text).toContain('không nộp đúng hạn kỳ 1 (16/11/2026) theo lời hứa nộp tiền');
    expect(notices[0]!.text).not.toContain('không nộp đúng hạn');
  });

  it('a payment plan being kept pauses notices and tasks; a missed instalment resumes escalation', async () => {
    await seedUnit('PLAN0001', 3);
    const instalments = [{ dueDate: '2026-11-20', amount: 21_000_000 }, { dueDate: '2026-12-20', amount: 21_000_000 }, { dueDate: '2027-01-20', amount: 21_000_000 }];
    officerPlan.set('PLAN0001', { outcome: 'plan-agreed', instalments });
    await escalate('PLAN0001');
    expect((await stack.store.getTask(`PLAN0001-${CYCLE}-inspection`))).toMatchObject({ outcome: 'plan-agreed' });
    await stack.store.putPayments([{ unitCode: 'PLAN0001', reference: 'PLAN-1', paidOn: '2026-11-19', amount: 21_000_000 }]);
    const kept = await nextCycle('PLAN0001', '2026-12', '2026-12-02');
    expect(kept.path).toEqual([STATE.assessCase, STATE.debtCleared, STATE.cycleDone]);
    expect(emailsTo('PLAN0001')).toHaveLength(1);
    // The second instalment never comes.
    officerPlan.set('PLAN0001:inspector', { outcome: 'penalty-proposed' });
    const missed = await nextCycle('PLAN0001', '2027-01', '2027-01-02');
    expect(missed.path).toContain(STATE.sendUrgingNotice);
    expect(emailsTo('PLAN0001').at(-1)!.text).toContain('kỳ 2 (20/12/2026) theo kế hoạch nộp dần');
  });

  it('refuses a promise or plan outside the policy with the field and the reason, and the task stays open', async () => {
    await seedUnit('BADP0001', 2);
    officerPlan.set('BADP0001', 'no-response');
    await sfn.send(new StartExecutionCommand({ stateMachineArn: stack.sfn.stateMachineArn, name: `BADP0001-${CYCLE}`, input: JSON.stringify({ unitCode: 'BADP0001', cycle: CYCLE, asOf: AS_OF }) }));
    const taskId = `BADP0001-${CYCLE}-visit`;
    await expect.poll(() => stack.store.getTask(taskId), { timeout: 2_000, interval: 50 }).toBeDefined();
    await expect(stack.lambdas.recordOutcome({ taskId, outcome: 'promised-to-pay', promise: { payBy: '2027-03-01', amount: 45_000_000 }, actor: 'cb.tran.thi.b' }))
      .rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'promise.payBy', reason: expect.stringContaining('2026-12-02') }] });
    await expect(stack.lambdas.recordOutcome({ taskId, outcome: 'plan-agreed', instalments: [{ dueDate: '2026-11-20', amount: 1_000_000 }, { dueDate: '2026-11-10', amount: 1_000_000 }], actor: 'cb.tran.thi.b' }))
      .rejects.toMatchObject({ name: 'InvalidInput', issues: expect.arrayContaining([
        { field: 'instalments.1.dueDate', reason: 'must be after the previous instalment' },
        { field: 'instalments', reason: expect.stringContaining('cover the debt') },
      ]) });
    await expect(stack.lambdas.recordOutcome({ taskId, outcome: 'contacted', promise: { payBy: '2026-11-20', amount: 1 }, actor: 'cb.tran.thi.b' }))
      .rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'promise', reason: 'is only for the promised-to-pay outcome' }] });
    expect(await stack.store.getTask(taskId)).toMatchObject({ status: 'open' });
    await stack.lambdas.recordOutcome({ taskId, outcome: 'unreachable', actor: 'cb.tran.thi.b' });
    const e = stack.sfn.list().find((x) => x.name === `BADP0001-${CYCLE}`)!;
    await e.done;
    expect(e.status).toBe('SUCCEEDED');
  });

  it("an officer's referral opens the inspector's task in the same cycle", async () => {
    await seedUnit('REFR0001', 2);
    officerPlan.set('REFR0001', { outcome: 'refer-to-inspection' });
    officerPlan.set('REFR0001:inspector', { outcome: 'penalty-proposed' });
    const e = await escalate('REFR0001');
    expect(e.path.filter((s) => s === STATE.assignOfficer)).toHaveLength(2);
    expect(await stack.store.getTask(`REFR0001-${CYCLE}-visit`)).toMatchObject({ status: 'done', outcome: 'refer-to-inspection' });
    expect(await stack.store.getTask(`REFR0001-${CYCLE}-inspection`)).toMatchObject({ officerId: 'tt.pham.van.c', role: 'inspector' });
    expect((await stack.store.getLedger('REFR0001')).case).toMatchObject({ stage: 'inspection', inspectorId: 'tt.pham.van.c' });
    expect(await kinds('REFR0001')).toContain('referred-to-inspection');
  });

  it('a disputed outcome puts the unit on a dispute hold for the policy period', async () => {
    await seedUnit('DISP0001', 2);
    officerPlan.set('DISP0001', { outcome: 'disputed' });
    await escalate('DISP0001');
    expect((await stack.store.getLedger('DISP0001')).hold).toEqual({ reason: 'dispute', until: '2026-12-02' });
    expect(await historyOf('DISP0001')).toEqual(expect.arrayContaining([
      event('hold-set', { reason: 'dispute', until: '2026-12-02', taskId: `DISP0001-${CYCLE}-visit` }), event('paused', { phase: 'after-outcome', by: 'hold', reason: 'dispute' }),
    ]));
  });
});
