import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { runImportMachine, uploadFolder } from '../../local/embedded/import-run.ts';
import { clock } from '../../functions/commons/clock.ts';
import { TableStaffDirectory } from '../../functions/commons/staff-directory.ts';
import { IMPORT_RUN_STATE as S } from '../../workflows/state-names.ts';
import type { StaffSyncReport } from '../../functions/steps/sync-staff.ts';

/**
 * The import machine `cdk synth` produces, run by aws-local-stepfunctions: once officers.csv is
 * imported the machine invokes the rosterSync function (SyncStaffAccounts) with the ids it loaded,
 * so the staff's accounts follow the roster in AWS as locally; a batch without officers.csv, or the
 * same officers.csv again, syncs nothing; a sync that fails does not stop the batch's other files,
 * and the execution then fails (RosterSyncFailed), so the import's alarm says so.
 */
const DISTRICT = 'Tam Điệp';
const OFFICERS = 'officer_id,name,email,district,communes,role,active,team_lead_id';
const row = (id: string, role: string, active = true) => `${id},Người ${id},${id}@bhxh.example.vn,${DISTRICT},,${role},${active},`;
const EMPLOYERS = ['unit_code,name,tax_code,district,commune,email,phone', `UNIT0001,Công ty Một,2700000001,${DISTRICT},Bắc Sơn,u1@example.vn,0912000001`];
const TARGETS = ['scope,key,year,collected,max_debt_ratio_percent', `district,${DISTRICT},2026,440000000000,5`];

let stack: LocalStack;
let directory: TableStaffDirectory;
const users = async () => Object.fromEntries((await directory.users()).map((u) => [u.username, u.enabled]));

async function batch(name: string, files: Record<string, string[]>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `roster-${name}-`));
  for (const [file, lines] of Object.entries(files)) await writeFile(join(dir, file), `${lines.join('\n')}\n`);
  await uploadFolder(stack.importsDir, dir, name);
  return `imports/${name}/${Object.keys(files)[0]}`;
}

beforeAll(async () => {
  clock.setNow(new Date('2026-11-10T08:00:00+07:00'));
  stack = await startLocalStack({ taskTimeoutSeconds: 5 });
  directory = new TableStaffDirectory(stack.dynamo.doc, stack.tableName);
}, 60_000);
afterAll(async () => { await stack?.close(); });

describe('import machine: the roster sync after officers.csv', () => {
  it('syncs the accounts once officers.csv is imported, after its chunk', async () => {
    const key = await batch('b1', { 'employers.csv': EMPLOYERS, 'officers.csv': [OFFICERS, row('tl.lead', 'team-lead'), row('cb.a', 'collector'), row('cb.b', 'collector')] });
    const run = await runImportMachine(stack.lambdas, key);
    expect(run.states.filter((s) => s === S.syncRoster)).toHaveLength(1);
    // Right after the officers file's (second) chunk, before the next plan.
    expect(run.states.slice(run.states.indexOf(S.syncRoster) - 1, run.states.indexOf(S.syncRoster) + 2)).toEqual([S.importChunk, S.syncRoster, S.planNext]);
    expect(run.staff[0]!.changes.create).toBe(3);
    expect(await users()).toEqual({ 'tl.lead': true, 'cb.a': true, 'cb.b': true });
  });

  it('the same upload again, and a batch without officers.csv, sync nothing', async () => {
    expect((await runImportMachine(stack.lambdas, 'imports/b1/officers.csv')).states).not.toContain(S.syncRoster);
    const run = await runImportMachine(stack.lambdas, await batch('b2', { 'employers.csv': EMPLOYERS, 'targets.csv': TARGETS }));
    expect(run.states).toContain(S.importChunk);
    expect(run.states).not.toContain(S.syncRoster);
  });

  it('an officer inactive in the next roster is disabled; one refused row disables nobody', async () => {
    const run = await runImportMachine(stack.lambdas, await batch('b3', { 'officers.csv': [OFFICERS, row('tl.lead', 'team-lead'), row('cb.a', 'collector', false), `cb.b,,not-an-email,${DISTRICT},,collector,true,`] }));
    const staff: StaffSyncReport = run.staff[0]!;
    expect(staff.changes.disable).toBe(1);
    // cb.b's row was refused (bad email): left as it was, not taken for a leaver.
    expect(await users()).toEqual({ 'tl.lead': true, 'cb.a': false, 'cb.b': true });
  });

  it('a sync that fails: the batch\'s later files still import, the lease is released, the execution fails', async () => {
    const real = stack.lambdas.rosterSync;
    stack.lambdas.rosterSync = async () => { throw new Error('Cognito unavailable'); };
    try {
      const key = await batch('b4', { 'officers.csv': [OFFICERS, row('tl.lead', 'team-lead')], 'targets.csv': TARGETS });
      await expect(runImportMachine(stack.lambdas, key)).rejects.toThrow();
    } finally {
      stack.lambdas.rosterSync = real;
    }
    const targets = await stack.store.getRunRecord('imports/b4/', 'IMPORT#targets.csv');
    expect(targets).toMatchObject({ status: 'done' });
    expect(await stack.store.takeLease({ scope: 'imports/b4/', kind: 'IMPORT', owner: 'next', now: clock.now(), expiresAt: new Date(clock.now().getTime() + 60_000) })).toBeTruthy();
  }, 120_000);
});
