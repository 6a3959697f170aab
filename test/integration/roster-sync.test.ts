import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { assembleDeps } from '../../functions/commons/deps.ts';
import { claimTag } from '../../functions/commons/message-claims.ts';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynamoForTests } from '../support/dynamo.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { TableStaffDirectory } from '../../functions/commons/staff-directory.ts';
import { ids } from '../../functions/commons/ids.ts';
import type { TaskRecord } from '../../functions/commons/records.ts';
import { importFolder } from '../../functions/import/csv-import.ts';
import { syncStaff, type StaffSyncReport } from '../../functions/steps/sync-staff.ts';
import { startInboxServer, type InboxServer } from '../../local/inbox-server.ts';

/**
 * Officers who leave, end to end on dynalite (the real DynamoDB wire protocol): importing officers.csv
 * creates the staff's accounts in the directory (the local stand-in, with Cognito's semantics); the
 * next file marks one officer inactive and drops another, and their open tasks go back through the
 * assignment rule to active officers, each move on the case history; the same file again changes
 * nothing; the local sign-in accepts only enabled users.
 */
const CYCLE = '2026-11';
const DISTRICT = 'Tam Điệp';
const HEADER = 'officer_id,name,email,district,communes,role,active,team_lead_id';
const ROSTER = [
  `tl.lead,Võ Văn Lead,lead@bhxh.example.vn,${DISTRICT},,team-lead,true,`,
  `cb.a,Trần Thị A,a@bhxh.example.vn,${DISTRICT},Bắc Sơn,collector,true,tl.lead`,
  `cb.b,Ngô Văn B,b@bhxh.example.vn,${DISTRICT},Nam Sơn,collector,true,tl.lead`,
  `cb.c,Lê Thị C,c@bhxh.example.vn,${DISTRICT},Tây Sơn,collector,true,tl.lead`,
  `tt.i,Phạm Văn I,i@bhxh.example.vn,${DISTRICT},,inspector,true,tl.lead`,
  `tt.j,Đinh Văn J,j@bhxh.example.vn,${DISTRICT},,inspector,true,tl.lead`,
];
const EMPLOYERS = [
  'unit_code,name,tax_code,district,commune,email,phone',
  `UNIT0001,Công ty Một,2700000001,${DISTRICT},Bắc Sơn,u1@example.vn,0912000001`,
  `UNIT0002,Công ty Hai,2700000002,${DISTRICT},Nam Sơn,u2@example.vn,0912000002`,
  `UNIT0003,Công ty Ba,2700000003,${DISTRICT},Tây Sơn,u3@example.vn,0912000003`,
];

let env: Awaited<ReturnType<typeof dynamoForTests>>;
let directory: TableStaffDirectory;
let invitations: string;
const ses = mockClient(SESClient);
const INBOX = 'https://inbox.example.vn/inbox';
const deps = () => assembleDeps({ store: env.store, directory, ses: new SESClient({ region: 'ap-southeast-1' }), clock: fixedClock(new Date('2026-11-10T09:00:00+07:00')), inboxUrl: INBOX });
/** Each assignment email SES was given: to whom, and the task and assignment its claim names. */
const assignmentEmails = () => ses.commandCalls(SendEmailCommand).map(({ args: [c] }) => {
  const ref = claimTag.read(c.input.Tags?.find((t) => t.Name === claimTag.NAME)?.Value ?? '') as { taskId?: string; assignment?: number } | undefined;
  return { to: c.input.Destination?.ToAddresses?.[0], taskId: ref?.taskId, assignment: ref?.assignment, text: c.input.Message?.Body?.Text?.Data ?? '' };
});

async function importRoster(rows: string[]): Promise<StaffSyncReport> {
  const dir = await mkdtemp(join(tmpdir(), 'roster-'));
  await writeFile(join(dir, 'employers.csv'), EMPLOYERS.join('\n'));
  await writeFile(join(dir, 'officers.csv'), [HEADER, ...rows].join('\n'));
  let report: StaffSyncReport | undefined;
  await importFolder(dir, env.store, { afterOfficers: async (roster) => { report = await syncStaff(deps(), roster); } });
  return report!;
}

const task = (unitCode: string, type: 'visit' | 'inspection', officerId: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  taskId: ids.caseTask({ unitCode, cycle: CYCLE, type, escalated: false }), unitCode, cycle: CYCLE, type, escalated: false,
  role: type === 'visit' ? 'collector' : 'inspector', officerId, district: DISTRICT, status: 'open', dueDate: '2026-11-20',
  createdAt: '2026-11-02T02:00:00Z', token: `token-${unitCode}-${type}`, ...over,
});

let first: StaffSyncReport;
let second: StaffSyncReport;
let third: StaffSyncReport;
let usersAfterSecond: unknown;
let server: InboxServer;

beforeAll(async () => {
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-handover' });
  env = await dynamoForTests();
  invitations = await mkdtemp(join(tmpdir(), 'invitations-'));
  directory = new TableStaffDirectory(env.dynamo.doc, env.tableName, invitations);
  first = await importRoster(ROSTER);
  // Work in hand: cb.a has two units' visits (and one done), tt.i an inspection; cb.b already one task of their own.
  await env.store.createTask(task('UNIT0001', 'visit', 'cb.a'));
  await env.store.createTask(task('UNIT0002', 'visit', 'cb.a'));
  await env.store.createTask(task('UNIT0003', 'visit', 'cb.a', { cycle: '2026-10', taskId: 'UNIT0003-2026-10-visit', status: 'done', outcome: 'contacted' }));
  await env.store.createTask(task('UNIT0002', 'inspection', 'tt.i'));
  await env.store.createTask(task('UNIT0003', 'visit', 'cb.b'));
  for (const [unitCode, officerId] of [['UNIT0001', 'cb.a'], ['UNIT0002', 'cb.a']] as const) {
    await env.store.putCase({ unitCode, status: 'open', stage: 'officer-visit', anchorPeriod: '2026-08', monthsOverdue: 2, debt: 40_000_000, officerId, inspectorId: 'tt.i', cycle: CYCLE, openedOn: '2026-11-02', updatedAt: 'x' });
  }
  // The next roster: cb.a inactive, tt.i gone.
  const next = ROSTER.filter((r) => !r.startsWith('tt.i,')).map((r) => (r.startsWith('cb.a,') ? r.replace(',collector,true,', ',collector,false,') : r));
  second = await importRoster(next);
  usersAfterSecond = await directory.users();
  third = await importRoster(next);
  server = await startInboxServer({ handler: async () => ({ statusCode: 200 }), doc: env.dynamo.doc, tableName: env.tableName, districts: [DISTRICT] });
});
afterAll(async () => {
  await server?.close();
  await env?.close();
});

describe('staff accounts from the roster, on dynalite', () => {
  it('creates every officer once, enabled in their role group, with the invitation', async () => {
    expect(first.changes).toMatchObject({ create: 6, disable: 0 });
    expect(first.problems).toEqual([]);
    expect((await readdir(invitations)).sort()).toEqual(['cb.a.txt', 'cb.b.txt', 'cb.c.txt', 'tl.lead.txt', 'tt.i.txt', 'tt.j.txt']);
    expect(await readFile(join(invitations, 'tl.lead.txt'), 'utf8')).toMatch(/^To: lead@bhxh\.example\.vn\n[\s\S]*tl\.lead/);
  });

  it('disables the inactive officer and the leaver, never deletes, and marks the leaver inactive', async () => {
    expect(second.changes).toMatchObject({ create: 0, disable: 2 });
    const users = await directory.users();
    expect(users.map((u) => u.username).sort()).toEqual(['cb.a', 'cb.b', 'cb.c', 'tl.lead', 'tt.i', 'tt.j']);
    expect(users.filter((u) => !u.enabled).map((u) => u.username).sort()).toEqual(['cb.a', 'tt.i']);
    expect(await env.store.getOfficer('tt.i')).toMatchObject({ active: false });
    expect(second.markedInactive).toBe(1);
  });

  it("hands the open tasks to active officers by the assignment rule, each move on the case history, the unit's officer following", async () => {
    expect(second).toMatchObject({ tasksMoved: 3, tasksUnassigned: 0 });
    // Bắc Sơn's owner is inactive: the lightest of the district (cb.c, none open; cb.b has one).
    expect(await env.store.getTask('UNIT0001-2026-11-visit')).toMatchObject({ status: 'open', officerId: 'cb.c', reassignedFrom: 'cb.a', token: 'token-UNIT0001-visit' });
    // Nam Sơn's owner takes its unit.
    expect(await env.store.getTask('UNIT0002-2026-11-visit')).toMatchObject({ officerId: 'cb.b', reassignedFrom: 'cb.a' });
    expect(await env.store.getTask('UNIT0002-2026-11-inspection')).toMatchObject({ officerId: 'tt.j', reassignedFrom: 'tt.i' });
    // A closed task stays where it was.
    expect(await env.store.getTask('UNIT0003-2026-10-visit')).toMatchObject({ officerId: 'cb.a', status: 'done' });
    expect(await env.store.openTasksOf('cb.a')).toEqual([]);
    const history = await env.store.caseHistory('UNIT0002');
    expect(history.filter((e) => e.kind === 'task-reassigned').map((e) => ({ actor: e.actor, detail: e.detail }))).toEqual([
      { actor: 'roster-sync', detail: { taskId: 'UNIT0002-2026-11-inspection', taskType: 'inspection', escalated: false, from: 'tt.i', to: 'tt.j', reassignment: 1, because: 'officer-left' } },
      { actor: 'roster-sync', detail: { taskId: 'UNIT0002-2026-11-visit', taskType: 'visit', escalated: false, from: 'cb.a', to: 'cb.b', reassignment: 1, because: 'officer-inactive' } },
    ]);
    expect((await env.store.getLedger('UNIT0002')).case).toMatchObject({ officerId: 'cb.b', inspectorId: 'tt.j' });
    expect((await env.store.getLedger('UNIT0001')).case).toMatchObject({ officerId: 'cb.c' });
  });

  it('tells each officer a task was handed to, once, with the link to it; the same file again sends nothing more', async () => {
    const handed = [
      { to: 'c@bhxh.example.vn', taskId: 'UNIT0001-2026-11-visit', assignment: 1 },
      { to: 'b@bhxh.example.vn', taskId: 'UNIT0002-2026-11-visit', assignment: 1 },
      { to: 'j@bhxh.example.vn', taskId: 'UNIT0002-2026-11-inspection', assignment: 1 },
    ];
    const emails = assignmentEmails();
    expect(emails.map(({ to, taskId, assignment }) => ({ to, taskId, assignment }))).toEqual(expect.arrayContaining(handed));
    expect(emails).toHaveLength(handed.length);
    for (const e of emails) expect(e.text).toContain(`${INBOX}/tasks/${encodeURIComponent(e.taskId!)}`);
  });

  it('changes nothing when the same file is imported again', async () => {
    expect(Object.values(third.changes).every((n) => n === 0)).toBe(true);
    expect(third).toMatchObject({ tasksMoved: 0, markedInactive: 0, problems: [] });
    expect(await directory.users()).toEqual(usersAfterSecond);
    expect((await env.store.caseHistory('UNIT0002')).filter((e) => e.kind === 'task-reassigned')).toHaveLength(2);
  });

  it('signs in locally only the enabled users of the directory', async () => {
    expect((await server.roster()).map((o) => o.officerId).sort()).toEqual(['cb.b', 'cb.c', 'tl.lead', 'tt.j']);
    const post = (officerId: string) => fetch(`${server.url}/inbox/sign-in`, {
      method: 'POST', redirect: 'manual', headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `officerId=${officerId}`,
    });
    expect((await post('cb.a')).status).toBe(400);
    const signedIn = await post('cb.b');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('set-cookie')).toContain('inbox_local_session=');
  });
});

describe('the import tells the sync what the officers file held', () => {
  const capture = async (files: Record<string, string>) => {
    const dir = await mkdtemp(join(tmpdir(), 'roster-hook-'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const seen: unknown[] = [];
    await importFolder(dir, env.store, { afterOfficers: async (roster) => { seen.push(roster); } });
    return seen;
  };

  it('passes the loaded ids, the refused rows by id, and counts rows whose id cannot be read', async () => {
    const seen = await capture({ 'officers.csv': [HEADER, ROSTER[0], `cb.typo,Sai Email,not-an-email,${DISTRICT},,collector,true,`, `bad id!,Không Mã,x@bhxh.example.vn,${DISTRICT},,collector,true,`].join('\n') });
    expect(seen).toEqual([{ officerIds: ['tl.lead'], refused: ['cb.typo'], unidentified: 1 }]);
  });

  it('is not called for a folder without officers.csv (an increment says nothing about who left)', async () => {
    expect(await capture({ 'employers.csv': EMPLOYERS.join('\n') })).toEqual([]);
  });

  it('counts a file refused whole (bad header) as unreadable: nobody disabled', async () => {
    expect(await capture({ 'officers.csv': 'who,what\nx,y' })).toEqual([{ officerIds: [], refused: [], unidentified: 1 }]);
  });
});
