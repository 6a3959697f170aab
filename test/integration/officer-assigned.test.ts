import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { dynamoForTests } from '../support/dynamo.ts';
import { assembleDeps, type Deps } from '../../functions/commons/deps.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { ids } from '../../functions/commons/ids.ts';
import { claimTag } from '../../functions/commons/message-claims.ts';
import { openTask } from '../../functions/steps/open-task.ts';
import { runRedrive } from '../../functions/steps/redrive-run.ts';
import { postBulkReassign, postReassign } from '../../functions/api/routes.ts';

/**
 * Officers are emailed when a task becomes theirs, with the link that opens it in the inbox: once
 * per assignment (the task opened, each reassignment), through the one claim; a rerun of the step
 * or a retried reassignment sends nothing more; an email SES failed is sent by the redrive, from
 * the task as it stands. On dynalite, SES mocked.
 */
const ses = mockClient(SESClient);
const INBOX = 'https://inbox.example.vn/inbox';
const UNIT = 'ASGN0001';
const CYCLE = '2026-11';
const DISTRICT = 'Tam Điệp';
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let deps: Deps;
let now = new Date('2026-11-02T09:00:00+07:00');
const at = (iso: string) => { now = new Date(iso); };
const lead = { staffId: 'tl.asgn', groups: ['team-lead' as const] };
const taskId = ids.caseTask({ unitCode: UNIT, cycle: CYCLE, type: 'visit', escalated: false });
const assignment = { assigned: true as const, officerId: 'cb.asgn.a', taskId, taskType: 'visit' as const, escalated: false, role: 'collector' as const, dueDate: '2026-11-12', timeoutSeconds: 60 };
const input = { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', assignment, token: 'token-1' };

/** Each email SES was given: to whom, its subject and text, and which assignment its claim names. */
const sent = () => ses.commandCalls(SendEmailCommand).map(({ args: [c] }) => {
  const ref = claimTag.read(c.input.Tags?.find((t) => t.Name === claimTag.NAME)?.Value ?? '');
  return { to: c.input.Destination?.ToAddresses?.[0], subject: c.input.Message?.Subject?.Data ?? '', text: c.input.Message?.Body?.Text?.Data ?? '', ref };
});

beforeAll(async () => {
  env = await dynamoForTests();
  deps = assembleDeps({ store: env.store, ses: new SESClient({ region: 'ap-southeast-1' }), sfn: new SFNClient({ region: 'ap-southeast-1' }), clock: fixedClock(() => now), inboxUrl: INBOX });
  await env.store.putEmployers([{ unitCode: UNIT, name: 'Công ty Giao Việc', taxCode: '2700999999', district: DISTRICT, commune: 'Bắc Sơn', email: 'gv@example.vn', phone: '0912345678', locale: 'vi' }]);
  await env.store.putOfficers([
    { officerId: 'tl.asgn', name: 'Võ Văn Lead', email: 'lead@bhxh.example.vn', district: DISTRICT, communes: [], role: 'team-lead', active: true },
    { officerId: 'cb.asgn.a', name: 'Trần Thị A', email: 'a@bhxh.example.vn', district: DISTRICT, communes: ['Bắc Sơn'], role: 'collector', active: true, teamLeadId: 'tl.asgn' },
    { officerId: 'cb.asgn.b', name: 'Ngô Văn B', email: 'b@bhxh.example.vn', district: DISTRICT, communes: ['Nam Sơn'], role: 'collector', active: true, teamLeadId: 'tl.asgn' },
  ]);
});
afterAll(() => env.close());

describe("the officer's email when a task is assigned", () => {
  it('is sent once when the task opens, with the link to it and no employer data; a rerun of the step sends none', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-a0' });
    await openTask(deps, input);
    at('2026-11-02T09:01:00+07:00');
    await openTask(deps, { ...input, token: 'token-2' });
    expect(sent()).toHaveLength(1);
    const [email] = sent();
    expect(email).toMatchObject({ to: 'a@bhxh.example.vn', ref: { message: 'officer-email', taskId, purpose: 'task-assigned', assignment: 0 } });
    expect(email!.text).toContain(`${INBOX}/tasks/${encodeURIComponent(taskId)}`);
    expect(email!.text).toContain('12/11/2026');
    expect(email!.subject).toMatch(new RegExp(`^Nhiệm vụ mới ${taskId}: hạn 12/11/2026, đơn vị ${UNIT}$`));
    // The officer needs the task, not the employer's name, tax code or address.
    expect(`${email!.subject}\n${email!.text}`).not.toMatch(/Công ty|2700999999|gv@example\.vn/);
  });

  it("tells each reassignment's officer once; the same reassignment retried (one task or in bulk) sends nothing more", async () => {
    await postReassign(deps, lead, taskId, { officerId: 'cb.asgn.b' });
    await postReassign(deps, lead, taskId, { officerId: 'cb.asgn.b' });
    await postBulkReassign(deps, lead, { officerId: 'cb.asgn.b', taskIds: [taskId] });
    expect(sent().map((e) => [e.to, e.ref])).toEqual([
      ['a@bhxh.example.vn', expect.objectContaining({ assignment: 0 })],
      ['b@bhxh.example.vn', expect.objectContaining({ assignment: 1 })],
    ]);
    // Back to A in bulk: a new assignment, a new email.
    expect(await postBulkReassign(deps, lead, { officerId: 'cb.asgn.a', taskIds: [taskId] })).toMatchObject({ moved: 1 });
    expect(sent().at(-1)).toMatchObject({ to: 'a@bhxh.example.vn', ref: { assignment: 2 } });
    expect(sent()).toHaveLength(3);
  });

  it('waits for the redrive when SES is down, and is sent by it once; an assignment since moved on is not sent', async () => {
    ses.reset();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    at('2026-11-02T10:00:00+07:00');
    // The move itself succeeds: the email is left to the redrive.
    expect((await postReassign(deps, lead, taskId, { officerId: 'cb.asgn.b' })).task).toMatchObject({ officerId: 'cb.asgn.b', reassignments: 3 });
    expect(await env.store.pendingClaims('officer-email', '9999')).toEqual([expect.objectContaining({ ref: expect.objectContaining({ assignment: 3 }), status: 'failed' })]);
    // And an inspection opened meanwhile, its email failed too, then closed before the redrive: no longer news.
    const inspection = ids.caseTask({ unitCode: UNIT, cycle: CYCLE, type: 'inspection', escalated: false });
    await openTask(deps, { ...input, assignment: { ...assignment, taskId: inspection, taskType: 'inspection' }, token: 'token-i' });
    await env.store.closeTask(inspection, { status: 'cancelled', outcome: 'paid', closedAt: now.toISOString(), closedBy: 'system' });

    ses.reset();
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-r3' });
    at('2026-11-03T11:00:00+07:00');
    const redrive = await runRedrive(deps, {});
    expect(redrive.messages['officer-email']).toMatchObject({ sent: 1, notNeeded: 1 });
    expect(sent()).toHaveLength(1);
    expect(sent()[0]).toMatchObject({ to: 'b@bhxh.example.vn', ref: { assignment: 3 } });
    expect(sent()[0]!.text).toContain(`${INBOX}/tasks/`);
    at('2026-11-04T11:00:00+07:00');
    expect((await runRedrive(deps, {})).messages['officer-email']).toMatchObject({ sent: 0 });
    expect(sent()).toHaveLength(1);
  });
});
