import { claimKey, claimTag } from '../../functions/commons/message-claims.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MiddlewareStack } from '@smithy/types';
import { LOCAL_TABLE, startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { clients } from '../../functions/commons/clients.ts';
import { clock } from '../../functions/commons/clock.ts';
import { addMonths } from '../../functions/core/dates.ts';
import { deadlineOf, policyFor } from '../../functions/core/policy.ts';
import { STATE } from '../../workflows/state-names.ts';
import { synthesizeTemplate } from '../../infra/definition.ts';
import { FUNCTION_KEYS, type FunctionKey } from '../../infra/registry/functions.ts';
import { staffEvent } from '../support/staff-event.ts';
import { awsDeps } from '../../functions/commons/deps.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { FolderSmsSender, sendTextMessageInput } from '../../functions/commons/sms-sender.ts';
import { ids } from '../../functions/commons/ids.ts';
import { loadOffice } from '../../infra/office-config.ts';

/** The sample office's settings: the senders the stack is built with. */
const office = loadOffice();
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runImportMachine } from '../../local/embedded/import-run.ts';
import { DynamoReconciliationStore } from '../../functions/commons/reconciliation-store.ts';

/** A batch written into the local import bucket's folder, as an upload under imports/<batch>/ puts it there. */
async function uploadBatch(batch: string, files: Record<string, string>, participants = false): Promise<string> {
  const dir = join(stack.importsDir, 'imports', batch);
  await mkdir(join(dir, 'collections'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  if (participants) await cp('data/sample/participants', join(dir, 'participants'), { recursive: true });
  return `imports/${batch}/${Object.keys(files)[0]!}`;
}

/**
 * Least privilege, checked by running the code rather than by reading it: every function runs on
 * the local stack through the paths that make each of its calls (monthly run, notice, officer and
 * team-lead tasks, outcome, timeout, payment, failure, quarterly list, pre-disclosure notice and
 * publication, statements, the roster sync), each AWS call is recorded with the function
 * that made it, and the calls are compared with the IAM policy of that function's role in the
 * synthesized template, both ways: no call without a grant (AccessDenied in AWS), no grant without a
 * call (more than the function needs).
 */
const AS_OF = '2026-11-02';
const CYCLE = '2026-11';
const policy = policyFor(AS_OF);
const DISTRICT = 'Tam Điệp';
const KEYS = FUNCTION_KEYS;

/** The employee's notice the redrive sends again (its worker died holding the claim). */
const LATE_EMPLOYEE = { message: 'employee-notice' as const, unitCode: 'EMPN0002', cycle: '2027-02', employee: ids.employeeNotice({ unitCode: 'EMPN0002', cycle: '2027-02', siCode: '0400000003' }) };

const current = new AsyncLocalStorage<FunctionKey>();
/** `<function>` → `<action> <resource kind>` of every AWS call it made. */
const calls = new Map<string, Set<string>>();
const sources = new Map<string, Set<string>>();
/** The SMS sender IDs each function sent from. */
const smsSenders = new Map<string, Set<string>>();
const record = (call: string) => {
  const who = current.getStore() ?? '(outside any function)';
  if (!calls.has(who)) calls.set(who, new Set());
  calls.get(who)!.add(call);
};

type Recorder = (service: string, commandName: string, input: Record<string, unknown>) => void;
function instrument(stack: MiddlewareStack<object, object>, service: string, kind: Recorder) {
  stack.add(
    (next, context) => async (args) => {
      kind(service, String((context as { commandName?: string }).commandName ?? 'Unknown'), (args as { input: Record<string, unknown> }).input);
      return next(args);
    },
    { step: 'initialize', name: `leastPrivilegeRecorder-${service}` },
  );
}

let stack: LocalStack;

/**
 * The staff's user pool, as Cognito answers the roster sync (there is no local Cognito): what it
 * holds before the sync, changed by each admin call, so the sync's every kind of call is made once.
 */
const pool = new Map<string, { email: string; enabled: boolean; status: string; groups: Set<string> }>([
  // An email changed before the officer first signed in (update, invitation again).
  ['cb.tran.thi.b', { email: 'old.b@bhxh.example.vn', enabled: true, status: 'FORCE_CHANGE_PASSWORD', groups: new Set(['officer']) }],
  // Disabled earlier, back as a team lead from the inspectors' group (enable, add, remove).
  ['tl.vo.van.d', { email: 'd@bhxh.example.vn', enabled: false, status: 'CONFIRMED', groups: new Set(['inspector']) }],
  // No longer in the roster, with an open task (disable, hand over). tt.pham.van.c is new (create).
  ['cb.roi.di', { email: 'roi@bhxh.example.vn', enabled: true, status: 'CONFIRMED', groups: new Set(['officer']) }],
  // A manager (the administrators' group, not the roster's): told of the collection report.
  ['ld.pham.thi.m', { email: 'm@bhxh.example.vn', enabled: true, status: 'CONFIRMED', groups: new Set(['manager']) }],
]);
function cognitoAnswer(command: string, input: Record<string, unknown>): Record<string, unknown> {
  const name = String(input.Username ?? '');
  const user = pool.get(name);
  const attribute = (n: string) => (input.UserAttributes as { Name: string; Value: string }[] | undefined)?.find((a) => a.Name === n)?.Value;
  switch (command) {
    case 'ListUsers': return { Users: [...pool].map(([u, v]) => ({ Username: u, Enabled: v.enabled, UserStatus: v.status, Attributes: [{ Name: 'email', Value: v.email }] })) };
    case 'ListUsersInGroup': return { Users: [...pool].filter(([, v]) => v.groups.has(String(input.GroupName))).map(([u, v]) => ({ Username: u, Enabled: v.enabled, UserStatus: v.status, Attributes: [{ Name: 'email', Value: v.email }] })) };
    case 'AdminCreateUser': if (input.MessageAction !== 'RESEND') pool.set(name, { email: attribute('email')!, enabled: true, status: 'FORCE_CHANGE_PASSWORD', groups: new Set() }); return {};
    case 'AdminUpdateUserAttributes': user!.email = attribute('email')!; return {};
    case 'AdminAddUserToGroup': user!.groups.add(String(input.GroupName)); return {};
    case 'AdminRemoveUserFromGroup': user!.groups.delete(String(input.GroupName)); return {};
    case 'AdminEnableUser': user!.enabled = true; return {};
    case 'AdminDisableUser': user!.enabled = false; return {};
    default: throw new Error(`no local answer for cognito-idp:${command}`);
  }
}

/** An officer (and their team lead) at work through the staff API, as API Gateway passes requests on. */
async function throughStaffApi(unitCode: string, taskId: string, officerId: string, pays: boolean) {
  const call = async (staffId: string, group: string, method: string, path: string, body?: unknown) => {
    const r = (await stack.lambdas.staffApi(staffEvent({ method, path, staffId, groups: [group], body }))) as { statusCode: number };
    if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.statusCode}`);
  };
  // The task is answered first: on this stack it is past its due date within seconds.
  await call(officerId, 'officer', 'POST', `/tasks/${taskId}/acknowledge`);
  // The inbox's pages read what the JSON routes read, and the referral pack (notices, history).
  await call(officerId, 'officer', 'GET', '/inbox');
  await call(officerId, 'officer', 'GET', `/inbox/tasks/${taskId}`);
  if (pays) await call(officerId, 'officer', 'POST', '/payments', { unitCode, reference: `API-${unitCode}`, paidOn: AS_OF, amount: 500_000_000 });
  else await call(officerId, 'officer', 'POST', `/tasks/${taskId}/outcome`, { outcome: 'contacted' });
  await call(officerId, 'officer', 'GET', '/tasks');
  await call(officerId, 'officer', 'GET', `/cases/${unitCode}`);
  if (pays) return;
  await call('tl.vo.van.d', 'team-lead', 'POST', '/holds', { unitCode, reason: 'dispute', until: '2026-11-30', note: 'Đơn vị khiếu nại số liệu' });
  await call('tl.vo.van.d', 'team-lead', 'DELETE', `/holds/${unitCode}`);
}
const pending: Promise<unknown>[] = [];
/** What happens when a unit's task opens (the officer's, or the team lead's under `<unit>:lead`). */
const plan = new Map<string, 'answer' | 'refer' | 'dispute' | 'pay' | 'no-response' | 'staff-api' | 'staff-api-pays' | 'bank-file'>([
  ['BANK0002', 'bank-file'],
  ['APIS0002', 'staff-api'],
  ['APIP0002', 'staff-api-pays'],
  ['ANSW0002', 'answer'],
  ['REFR0002', 'refer'],
  ['DISP0002', 'dispute'],
  ['PAYS0002', 'pay'],
  ['IDLE0002', 'no-response'],
  ['IDLE0002:lead', 'no-response'],
]);

async function seedUnit(unitCode: string, behind: number) {
  await stack.store.putEmployers([{ unitCode, name: `Công ty ${unitCode}`, taxCode: '2700123456', district: DISTRICT, commune: 'Bắc Sơn', email: `${unitCode.toLowerCase()}@example.vn`, phone: '0912345678', locale: 'vi' }]);
  const periods = Array.from({ length: 6 }, (_, i) => addMonths('2026-04', i));
  await stack.store.putPeriods(periods.map((period) => ({ unitCode, period, amountDue: 20_000_000, dueDate: deadlineOf(period, policy) })));
  await stack.store.putPayments(periods.slice(0, 6 - behind).map((period) => ({ unitCode, reference: `UNC-${unitCode}-${period}`, paidOn: deadlineOf(period, policy), amount: 20_000_000 })));
}

beforeAll(async () => {
  clock.setNow(new Date(`${AS_OF}T06:00:00+07:00`));
  // The functions' staff directory is Cognito's (the fake above answers), as in AWS.
  process.env.USER_POOL_ID = 'ap-southeast-1_LOCAL';
  stack = await startLocalStack({
    // Long enough for the answering paths (several requests each) on a busy machine.
    taskTimeoutSeconds: 4,
    onTaskOpened: (task) => {
      const what = plan.get(task.assignment.taskId.endsWith('-escalated') ? `${task.unitCode}:lead` : task.unitCode);
      if (what === 'answer') pending.push(stack.lambdas.recordOutcome({ taskId: task.assignment.taskId, outcome: 'promised-to-pay', promise: { payBy: '2026-11-20', amount: 60_000_000 }, actor: task.assignment.officerId }));
      if (what === 'refer' || what === 'dispute') {
        // The inspector's task the referral opens ends in a proposed penalty.
        const outcome = what === 'dispute' ? 'disputed' : task.assignment.taskType === 'inspection' ? 'penalty-proposed' : 'refer-to-inspection';
        pending.push(stack.lambdas.recordOutcome({ taskId: task.assignment.taskId, outcome, actor: task.assignment.officerId }));
      }
      if (what === 'staff-api' || what === 'staff-api-pays') pending.push(throughStaffApi(task.unitCode, task.assignment.taskId, task.assignment.officerId, what === 'staff-api-pays'));
      if (what === 'bank-file') {
        // The bank's collection file uploaded while the task waits: the import records the payment,
        // which clears the debt, closes the task and resumes its execution.
        pending.push((async () => {
          const key = await uploadBatch('bank-1', { 'collections/bank-2026-11.csv': 'value_date,bank_ref,unit_code,credit_amount,narrative\n02/11/2026,FT1,BANK0002,500000000,BHXH BANK0002\n' });
          await runImportMachine(stack.lambdas, key);
        })());
      }
      if (what === 'pay') {
        pending.push((async () => {
          const payment = { unitCode: task.unitCode, reference: `BANK-${task.unitCode}`, paidOn: AS_OF, amount: 500_000_000, actor: 'import:bank-file' };
          await stack.lambdas.recordPayment(payment);
          await stack.lambdas.recordPayment(payment); // the same payment again: found, nothing more
        })());
      }
    },
    overrideTasks: {
      [STATE.sendUrgingNotice]: async (input) => {
        if ((input as { unitCode: string }).unitCode === 'FAIL0001') throw Object.assign(new Error('SES is down'), { name: 'MessageRejected' });
        return stack.lambdas.sendNotice(input);
      },
    },
  });
  // Each function's invocations run in its own async context; the SDK clients the handlers share
  // record every call with the function it was made for.
  for (const key of KEYS) {
    const invoke = stack.lambdas[key];
    stack.lambdas[key] = (event) => current.run(key, () => invoke(event));
  }
  const recorder: Recorder = (service, commandName, input) => {
    const action = commandName.replace(/Command$/, '');
    if (service === 'dynamodb') record(`dynamodb:${action} ${input.IndexName ? 'index' : 'table'}`);
    if (service === 'states') record(`states:${action} stateMachine`);
    if (service === 'cognito-idp') record(`cognito-idp:${action} userPool`);
    if (service === 'ses') {
      // SendEmail is authorised on the identity and on its configuration set (bounce and complaint events).
      record(`ses:${action} identity`);
      record(`ses:${action} configurationSet`);
      const who = current.getStore() ?? '(outside any function)';
      if (!sources.has(who)) sources.set(who, new Set());
      sources.get(who)!.add(String(input.Source));
    }
  };
  // SMS go to the stand-in locally (there is no local End User Messaging SMS): each one it accepts is
  // recorded as the SendTextMessage the AWS adapter makes of it, on the resources that call names.
  const folderSend = FolderSmsSender.prototype.send;
  FolderSmsSender.prototype.send = function (this: FolderSmsSender, sms) {
    const input = sendTextMessageInput(sms, 'configuration-set');
    if (input.ConfigurationSetName) record('sms-voice:SendTextMessage smsConfigurationSet');
    if (input.OriginationIdentity) record('sms-voice:SendTextMessage senderId');
    const who = current.getStore() ?? '(outside any function)';
    if (!smsSenders.has(who)) smsSenders.set(who, new Set());
    smsSenders.get(who)!.add(String(input.OriginationIdentity));
    return folderSend.call(this, sms);
  };
  instrument(clients.dynamo().middlewareStack as never, 'dynamodb', recorder);
  instrument(clients.sfn().middlewareStack as never, 'states', recorder);
  instrument(clients.ses().middlewareStack as never, 'ses', recorder);
  instrument(clients.cognito().middlewareStack as never, 'cognito-idp', recorder);
  // After the recorder: the fake pool answers instead of the network.
  clients.cognito().middlewareStack.add(
    (_next, context) => async (args) => ({ output: { $metadata: {}, ...cognitoAnswer(String((context as { commandName?: string }).commandName).replace(/Command$/, ''), (args as { input: Record<string, unknown> }).input) }, response: {} }) as never,
    { step: 'initialize', name: 'localCognitoPool', priority: 'low' },
  );

  await stack.store.putOfficers([
    { officerId: 'cb.tran.thi.b', name: 'Trần Thị B', email: 'b@bhxh.example.vn', district: DISTRICT, communes: ['Bắc Sơn'], role: 'collector', active: true, teamLeadId: 'tl.vo.van.d' },
    { officerId: 'tl.vo.van.d', name: 'Võ Văn D', email: 'd@bhxh.example.vn', district: DISTRICT, communes: [], role: 'team-lead', active: true },
    { officerId: 'tt.pham.van.c', name: 'Phạm Văn C', email: 'c@bhxh.example.vn', district: DISTRICT, communes: [], role: 'inspector', active: true },
  ]);
  await seedUnit('ANSW0002', 2); // officer answers
  await seedUnit('APIS0002', 2); // officer works the task through the staff API; the team lead sets and lifts a hold
  await seedUnit('APIP0002', 2); // officer records the unit's payment through the staff API
  await seedUnit('REFR0002', 2); // officer refers the unit for inspection; the inspector's task opens
  await seedUnit('DISP0002', 2); // officer reports a dispute: the unit goes on hold
  await seedUnit('PAYS0002', 2); // the unit pays while the task waits
  await seedUnit('BANK0002', 2); // the bank's file pays for the unit while the task waits (the import)
  await seedUnit('IDLE0002', 2); // nobody answers: the task goes to the team lead, who does not answer either
  await seedUnit('FAIL0001', 1); // a step fails
  await seedUnit('DONE0000', 0); // paid up, with a case still open: the run closes it
  await stack.store.putCase({ unitCode: 'DONE0000', status: 'open', stage: 'urging-notice', anchorPeriod: '2026-09', monthsOverdue: 1, debt: 1, cycle: '2026-10', openedOn: '2026-10-02', updatedAt: 'x' });

  await stack.lambdas.monthlyRun({});
  await stack.sfn.idle();
  await Promise.all(pending);
  await stack.sfn.idle();
  // A retried OpenTask step: the task is there, so its token is refreshed (an update), or left alone once closed.
  const [idle] = await stack.store.tasksOfCase('IDLE0002', CYCLE);
  await stack.lambdas.openTask({
    unitCode: 'IDLE0002', cycle: CYCLE, asOf: AS_OF, token: 'retried',
    assignment: { assigned: true, officerId: idle!.officerId, taskId: idle!.taskId, taskType: 'visit', escalated: false, role: idle!.role, dueDate: idle!.dueDate, timeoutSeconds: 60 },
  });
  // A notice already sent this cycle: the claim is refused and the notice read back.
  await stack.lambdas.sendNotice({ unitCode: 'ANSW0002', cycle: CYCLE, asOf: AS_OF });
  // Every unit's statement, then again: each claim is refused and read back, nothing sent twice.
  clock.setNow(new Date(`${AS_OF}T09:00:00+07:00`));
  await stack.lambdas.statementRun({});
  await stack.lambdas.statementRun({});
  // The redrive: a statement and a notice whose workers died an hour ago are sent again.
  await seedUnit('REDR0002', 2);
  await stack.store.claim({ message: 'statement', unitCode: 'REDR0002', cycle: CYCLE }, new Date(`${AS_OF}T08:00:00+07:00`), 15);
  await stack.store.claim({ message: 'urging', unitCode: 'REDR0002', cycle: CYCLE }, new Date(`${AS_OF}T08:00:00+07:00`), 15);
  // Two at once (two firings): one finds the other's claim (a get on the conflict) and sends nothing twice.
  await Promise.all([stack.lambdas.redriveRun({}), stack.lambdas.redriveRun({})]);

  // Disclosure: a unit above the thresholds is warned, then published after the window; run again, nothing more.
  await seedUnit('PUBL0003', 3);
  clock.setNow(new Date('2026-12-10T08:00:00+07:00'));
  await stack.lambdas.disclosureRun({});
  clock.setNow(new Date('2027-01-10T08:00:00+07:00'));
  await stack.lambdas.disclosureRun({});
  await stack.lambdas.disclosureRun({});
  // The quarterly list of 2026-Q4 (S3 is a folder locally: its grants are checked in stack.test.ts).
  await stack.lambdas.quarterlyList({});
  // The managers' collection report, with the year's targets (a query) and the officers' open tasks (the index).
  await stack.store.putTargets([{ scope: 'district', key: DISTRICT, year: 2027, collected: 1_000_000_000, maxDebtRatioPercent: 5 }]);
  await stack.lambdas.collectionReport({ asOf: '2027-01-02' });
  // Its managers' emails, once: a rerun finds each claim (a get on the refused put) and sends none.
  await stack.lambdas.collectionReport({ asOf: '2027-01-02' });

  // Participant reminders: one participant reminded by email (and again: the claim is found), one
  // lapsed long ago whose agent gets a visit, then renews (the visit closes); a STOP reply, a bounce, the report.
  clock.setNow(new Date('2027-01-20T08:00:00+07:00'));
  await stack.store.putOfficers([{ officerId: 'dl.le.thu.trang', name: 'Lê Thu Trang', email: 'trang@bhxh.example.vn', district: DISTRICT, communes: ['Bắc Sơn'], role: 'collection-agent', active: true }]);
  const participant = { name: 'Nguyễn Văn Đức', dateOfBirth: '1980-05-04', commune: 'Bắc Sơn', agentId: 'dl.le.thu.trang', locale: 'vi' as const, consent: true, optOut: false, method: 'monthly' as const, chosenIncome: 3_000_000, supportGroup: 'other' as const, supportMonthsUsed: 0 };
  await stack.reminders.putParticipants([
    { ...participant, siCode: '2700000001', email: 'p1@example.vn', preferredChannel: 'email', paidThrough: '2027-01' },
    { ...participant, siCode: '2700000002', phone: '0912000002', preferredChannel: 'sms', paidThrough: '2026-11' },
    { ...participant, siCode: '2700000003', phone: '0912000003', preferredChannel: 'sms', paidThrough: '2027-01' },
    // A Zalo user: the phone's reminder by ZNS (the local stand-in), its webhook event recorded.
    { ...participant, siCode: '2700000004', phone: '0912000004', preferredChannel: 'sms', paidThrough: '2027-01', zalo: true },
  ]);
  const setup = { ...awsDeps(), store: stack.store, reminders: stack.reminders };
  for (const code of ['2700000001', '2700000002', '2700000003', '2700000004']) await scheduleCycle(setup, 'vsi', code, '2027-01-20');
  await stack.lambdas.reminderRun({});
  await stack.reminders.setNextReminder({ kind: 'vsi', code: '2700000001', coveredUntil: '2027-01-31' }, '2027-01-20');
  await stack.lambdas.reminderRun({});
  await stack.lambdas.recordRenewal({ kind: 'vsi', code: '2700000002', reference: 'POST-1', paidOn: '2027-01-20', paidThrough: '2027-03', actor: 'dl.le.thu.trang' });
  const sns = (message: unknown) => ({ Records: [{ Sns: { Message: JSON.stringify(message) } }] });
  await stack.lambdas.smsReplies(sns({ originationNumber: '+84912000002', messageBody: 'STOP' }));
  await stack.lambdas.emailFeedback(sns({ notificationType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'p1@example.vn' }] } }));
  // The configuration set's events settle a statement's claim.
  const claim = claimTag.of({ message: 'statement', unitCode: 'ANSW0002', cycle: CYCLE });
  await stack.lambdas.emailFeedback(sns({ eventType: 'Delivery', mail: { messageId: 'ses-1', timestamp: '2026-11-02T02:00:00Z', tags: { claim: [claim] } }, delivery: { timestamp: '2026-11-02T02:00:05Z' } }));
  // The SMS configuration set's events (the stand-in's log) settle the reminder SMS's claim.
  expect(await stack.publishSmsEvents()).toBe(1);
  // Zalo's webhook (the stand-in's signed call) makes the ZNS attempt accepted.
  expect(await stack.publishZnsEvents()).toBe(1);
  await stack.lambdas.renewalReport({ month: '2027-01', asOf: '2027-02-03' });
  // The quarterly reconciliation run: every ledger scanned, the tax data read, a check opened per
  // finding (an organisation paying wages that is not an SI unit: its check goes to the team lead); again: nothing new.
  await new DynamoReconciliationStore(stack.dynamo.doc, LOCAL_TABLE).putTaxOrganisations([
    { taxCode: '2700999001', name: 'Công ty Chưa Đăng Ký', district: DISTRICT, year: 2026, employeesPaid: 12, wageFund: 1_200_000_000 },
  ]);
  await stack.lambdas.reconciliationRun({ asOf: '2027-02-20' });
  await stack.lambdas.reconciliationRun({ asOf: '2027-02-20' });
  // Employees' right to know on the 10th: a unit behind since October 2026 (41+ days), two of its
  // employees told (SMS, email), then the unit; a rerun finds every claim (conditional put, get).
  await seedUnit('EMPN0002', 4);
  await new DynamoReconciliationStore(stack.dynamo.doc, LOCAL_TABLE).putRosterMembers([
    { unitCode: 'EMPN0002', siCode: '0400000001', personalId: '037080000001', name: 'Trần Thị A', dateOfBirth: '1990-03-04', startMonth: '2025-01', salary: 9_000_000, phone: '0912000011', contactConsent: true },
    { unitCode: 'EMPN0002', siCode: '0400000002', personalId: '037080000002', name: 'Trần Thị B', dateOfBirth: '1991-03-04', startMonth: '2025-01', salary: 9_000_000, email: 'ttb@example.vn', contactConsent: true },
  ]);
  await stack.lambdas.employeeNoticeRun({ asOf: '2027-02-10' });
  await stack.lambdas.employeeNoticeRun({ asOf: '2027-02-10' });
  // The redrive sends an employee's notice a worker died holding (a stale claim): an employee added
  // to the roster since, whose claim was taken an hour ago; the unit's roster and the opt-outs read
  // again, the notice sent by SMS from the same sender ID, the unit's email found sent already.
  await new DynamoReconciliationStore(stack.dynamo.doc, LOCAL_TABLE).putRosterMembers([
    { unitCode: 'EMPN0002', siCode: '0400000003', personalId: '037080000003', name: 'Trần Thị C', dateOfBirth: '1992-03-04', startMonth: '2025-01', salary: 9_000_000, phone: '0912000013', contactConsent: true },
  ]);
  await stack.store.claim(LATE_EMPLOYEE, new Date(clock.now().getTime() - 3_600_000), policy.employeeNotice.claimStaleAfterMinutes);
  await stack.lambdas.redriveRun({ asOf: '2027-02-10', kinds: ['employee-notice', 'employees-informed'] });

  // The roster imported again without cb.roi.di, who holds an open visit: their user is disabled, their
  // record marked inactive, the visit handed to the commune's collector (case event, the unit's officer).
  await stack.store.putOfficers([{ officerId: 'cb.roi.di', name: 'Rời Đi', email: 'roi@bhxh.example.vn', district: DISTRICT, communes: ['Bắc Sơn'], role: 'collector', active: true, teamLeadId: 'tl.vo.van.d' }]);
  const leaverTask = ids.caseTask({ unitCode: 'ANSW0002', cycle: '2027-01', type: 'visit', escalated: false });
  await stack.store.createTask({ taskId: leaverTask, unitCode: 'ANSW0002', cycle: '2027-01', type: 'visit', escalated: false, role: 'collector', officerId: 'cb.roi.di', district: DISTRICT, status: 'open', dueDate: '2027-01-30', createdAt: '2027-01-20T01:00:00Z', token: 'waiting' });
  const kase = (await stack.store.getLedger('ANSW0002')).case!;
  await stack.store.putCase({ ...kase, officerId: 'cb.roi.di' });
  await stack.lambdas.rosterSync({ officerIds: ['cb.tran.thi.b', 'tl.vo.van.d', 'tt.pham.van.c'] });

  // The import of an uploaded batch: the employers' files (a repeated key settled by the stored
  // item's provenance), officers and targets, and the participants' files with their renewals.
  const batch = await uploadBatch('2027-01', {
    'employers.csv': 'unit_code,name,tax_code,district,commune,email,phone,locale\nYM000001,Công ty Yên Mô,2700999001,Yên Mô,Yên Phong,ym1@example.vn,0912999001,vi\nYM000001,Công ty Yên Mô,2700999001,Yên Mô,Yên Phong,ym1@example.vn,0912999001,vi\n',
    'contribution-periods.csv': 'unit_code,period,amount_due,due_date\nYM000001,2026-11,1000000,\n',
    'payments.csv': 'unit_code,reference,paid_on,amount\nYM000001,UNC-YM1,2026-12-20,1000000\n',
    // The whole roster (officers.csv is: the import machine syncs the accounts to it), one new officer.
    'officers.csv': 'officer_id,name,email,district,communes,role,active,team_lead_id\n'
      + `cb.tran.thi.b,Trần Thị B,b@bhxh.example.vn,${DISTRICT},Bắc Sơn,collector,true,tl.vo.van.d\n`
      + `tl.vo.van.d,Võ Văn D,d@bhxh.example.vn,${DISTRICT},,team-lead,true,\n`
      + `tt.pham.van.c,Phạm Văn C,c@bhxh.example.vn,${DISTRICT},,inspector,true,\n`
      + 'cb.ym.a,Lê A,a@ym.example.vn,Yên Mô,Yên Phong,collector,true,\n',
    'targets.csv': 'scope,key,year,collected,max_debt_ratio_percent\ndistrict,Yên Mô,2027,1000000,5\n',
  }, true);
  await runImportMachine(stack.lambdas, batch);
}, 180_000);
afterAll(() => stack?.close());

/** `<action> <resource kind>` granted to each function's role in the synthesized template. */
function granted(): Map<FunctionKey, { grants: Set<string>; senders: string[]; smsSenders: string[] }> {
  const template = synthesizeTemplate();
  const kindOf = (resource: unknown): string => {
    const text = JSON.stringify(resource);
    if (text.includes('/index/')) return 'index';
    if (text.includes(':identity/')) return 'identity';
    if (text.includes(':configuration-set/')) return 'configurationSet';
    if (text.includes(':sender-id/')) return 'senderId';
    const ref = /^\{"(?:Ref|Fn::GetAtt)":(?:"([^"]+)"|\["([^"]+)")/.exec(text);
    const type = template.Resources[ref?.[1] ?? ref?.[2] ?? '']?.Type;
    if (type === 'AWS::DynamoDB::Table') return 'table';
    if (type === 'AWS::StepFunctions::StateMachine') return 'stateMachine';
    if (type === 'AWS::SMSVOICE::ConfigurationSet') return 'smsConfigurationSet';
    if (type === 'AWS::Cognito::UserPool') return 'userPool';
    return `other:${text}`;
  };
  const out = new Map<FunctionKey, { grants: Set<string>; senders: string[]; smsSenders: string[] }>();
  for (const key of KEYS) {
    const policies = Object.entries(template.Resources).filter(([id, r]) => r.Type === 'AWS::IAM::Policy' && new RegExp(`^${key}RoleDefaultPolicy[0-9A-F]{8}$`).test(id));
    expect(policies, `the policy of ${key}'s role`).toHaveLength(1);
    const statements = (policies[0]![1].Properties as { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> }[] } }).PolicyDocument.Statement;
    const grants = new Set<string>();
    const senders: string[] = [];
    const smsSenders: string[] = [];
    for (const s of statements) {
      for (const action of [s.Action].flat()) {
        // Calls the code makes through the SDK; logs, X-Ray and KMS are the platform's.
        if (!/^(dynamodb|states|ses|sms-voice|sns|cognito-idp):/.test(action)) continue;
        for (const resource of [s.Resource].flat()) {
          grants.add(`${action} ${kindOf(resource)}`);
          const senderId = /:sender-id\/([^/"]+)\//.exec(JSON.stringify(resource))?.[1];
          if (senderId) smsSenders.push(senderId);
        }
        if ((action === 'ses:SendEmail' || action === 'ses:SendRawEmail') && s.Condition) senders.push(...[s.Condition?.StringEquals?.['ses:FromAddress']].flat().map(String));
      }
    }
    out.set(key, { grants, senders, smsSenders });
  }
  return out;
}

describe('least privilege, from the calls each function makes', () => {
  it('ran the disclosure and the quarterly list through their paths', async () => {
    expect(await stack.store.getPublication('2027-01-10')).toMatchObject({ unitCodes: ['PUBL0003'] });
    expect(await stack.store.getPreDisclosure('PUBL0003')).toMatchObject({ status: 'sent', sentOn: '2026-12-10' });
  });

  it('ran the import: the bank file closed the waiting task, the batch loaded with its repeat reported', async () => {
    expect((await stack.store.getLedger('BANK0002')).case).toMatchObject({ status: 'closed' });
    const report = JSON.parse(await readFile(join(stack.importsDir, 'reports/2027-01/employers.csv.json'), 'utf8')) as { loaded: unknown; errors: { line: number; reason: string }[] };
    expect(report.loaded).toEqual({ employers: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ line: 3, reason: 'unit_code repeats line 2 (the row kept); not loaded' })]);
  });

  it('ran every function, and every AWS call was made by one', () => {
    expect([...calls.keys()].sort()).toEqual([...KEYS].sort());
  });

  it('grants every call a function makes (no AccessDenied in AWS)', () => {
    const roles = granted();
    for (const key of KEYS) {
      const made = [...(calls.get(key) ?? [])];
      expect(made.filter((c) => !roles.get(key)!.grants.has(c)), `${key} calls without a grant`).toEqual([]);
    }
  });

  it('grants nothing a function does not call', () => {
    const roles = granted();
    for (const key of KEYS) {
      const made = calls.get(key) ?? new Set();
      expect([...roles.get(key)!.grants].filter((g) => !made.has(g)), `${key} grants never used`).toEqual([]);
    }
  });

  it('sends email only from the sender address the SES grants allow', () => {
    const roles = granted();
    expect([...new Set([...sources.values()].flatMap((s) => [...s]))].sort()).toEqual([office.email.notices, office.email.reminders].sort());
    for (const key of KEYS) {
      for (const source of sources.get(key) ?? []) expect(roles.get(key)!.senders, key).toContain(source);
    }
    // Reminders go from the reminders' address only; notices from the notices'.
    expect([...(sources.get('reminderRun') ?? [])]).toEqual([office.email.reminders]);
    expect(roles.get('reminderRun')!.senders).toEqual([office.email.reminders]);
  });

  it('sends SMS only from the sender ID the SendTextMessage grant names, and only from the reminder run, the employee notice run and the redrive', () => {
    const roles = granted();
    expect([...smsSenders.keys()].sort()).toEqual(['employeeNoticeRun', 'redriveRun', 'reminderRun']);
    for (const key of ['employeeNoticeRun', 'redriveRun', 'reminderRun'] as const) {
      expect([...smsSenders.get(key)!]).toEqual([office.sms.senderId]);
      expect(roles.get(key)!.smsSenders).toEqual([office.sms.senderId]);
    }
  });

  it('ran the employee notice path: two employees told once, then their unit once', async () => {
    const claims = await Promise.all([
      ...['0400000001', '0400000002'].map((siCode) => claimKey({ message: 'employee-notice', unitCode: 'EMPN0002', cycle: '2027-02', employee: ids.employeeNotice({ unitCode: 'EMPN0002', cycle: '2027-02', siCode }) })),
      claimKey({ message: 'employees-informed', unitCode: 'EMPN0002', cycle: '2027-02' }),
    ].map(async (Key) => (await stack.dynamo.doc.send(new GetCommand({ TableName: stack.tableName, Key }))).Item?.status));
    expect(claims).toEqual(['sent', 'sent', 'sent']);
  });

  it('ran the redrive of an employee\'s notice: the stale claim taken over and sent once, by SMS', async () => {
    const item = (await stack.dynamo.doc.send(new GetCommand({ TableName: stack.tableName, Key: claimKey(LATE_EMPLOYEE) }))).Item;
    expect(item).toMatchObject({ status: 'sent', segments: 1 });
    expect([...calls.get('redriveRun') ?? []]).toEqual(expect.arrayContaining(['sms-voice:SendTextMessage smsConfigurationSet', 'sms-voice:SendTextMessage senderId']));
  });

  it('ran the reminder SMS path: sent once, its provider event recorded on the claim', async () => {
    const claims = await stack.reminders.remindersOf('vsi', '2700000003');
    expect(claims.map((c) => [c.channel, c.status])).toEqual([['sms', 'sent']]);
    const ref = { message: 'reminder' as const, cycle: { kind: 'vsi' as const, code: '2700000003', coveredUntil: claims[0]!.coveredUntil }, step: claims[0]!.step, channel: 'sms' as const };
    const item = (await stack.dynamo.doc.send(new GetCommand({ TableName: stack.tableName, Key: claimKey(ref) }))).Item;
    expect(item).toMatchObject({ status: 'sent', acceptedAt: expect.any(String), providerMessageId: item?.messageId });
  });

  it('ran the roster sync: every kind of change on the pool, the leaver disabled and their task handed over', async () => {
    expect([...calls.get('rosterSync') ?? []].filter((c) => c.startsWith('cognito-idp:')).sort()).toEqual([
      'AdminAddUserToGroup', 'AdminCreateUser', 'AdminDisableUser', 'AdminEnableUser', 'AdminRemoveUserFromGroup', 'AdminUpdateUserAttributes', 'ListUsers', 'ListUsersInGroup',
    ].map((a) => `cognito-idp:${a} userPool`));
    expect(pool.get('cb.roi.di')).toMatchObject({ enabled: false });
    expect(pool.get('tl.vo.van.d')).toMatchObject({ enabled: true, groups: new Set(['team-lead']) });
    expect(await stack.store.getOfficer('cb.roi.di')).toMatchObject({ active: false });
    expect(await stack.store.getTask('ANSW0002-2027-01-visit')).toMatchObject({ status: 'open', officerId: 'cb.tran.thi.b', reassignedFrom: 'cb.roi.di' });
    expect((await stack.store.getLedger('ANSW0002')).case).toMatchObject({ officerId: 'cb.tran.thi.b' });
  });

  it('ran the reminder paths: a reminder claimed once, the agent visit closed by the renewal', async () => {
    const claims = await stack.reminders.remindersOf('vsi', '2700000001');
    expect(claims.map((c) => [c.step, c.channel, c.status])).toEqual([['before-15', 'email', 'sent']]);
    const lapsed = await stack.reminders.getPayer('vsi', '2700000002');
    expect(lapsed.cycles.find((c) => c.coveredUntil === '2026-11-30')).toMatchObject({ status: 'renewed', agentTaskId: expect.stringMatching(/^RV-/) });
    expect(await stack.store.openTasksOf('dl.le.thu.trang')).toEqual([]);
  });
});
