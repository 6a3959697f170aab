import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GROUP_OF_ROLE, planDirectorySync, ROSTER_GROUPS, type DirectoryChange, type DirectoryUser, type Roster, type RosterOfficer,
} from '../../functions/core/roster-sync.ts';
import { handOverTasks, type OfficerCandidate } from '../../functions/core/assignment.ts';
import { OFFICER_ROLES } from '../../functions/core/policy.ts';
import { STAFF_GROUPS, type StaffGroup } from '../../functions/core/staff-access.ts';

/**
 * What the directory does with each change (Cognito's semantics, as the adapters implement them):
 * the model the properties apply a plan to. A user's `groups` here are all of its groups, the
 * administrators' `manager` included, so the properties can see that the sync leaves those alone.
 */
interface ModelUser extends Omit<DirectoryUser, 'groups'> { groups: StaffGroup[]; invitations: number }

function apply(users: readonly ModelUser[], changes: readonly DirectoryChange[]): ModelUser[] {
  const out = new Map(users.map((u) => [u.username.toLowerCase(), { ...u, groups: [...u.groups] }]));
  for (const c of changes) {
    const key = c.username.toLowerCase();
    if (c.kind === 'create') {
      if (out.has(key)) throw new Error(`create of an existing user ${c.username}`);
      out.set(key, { username: c.username, email: c.email, enabled: true, invited: true, groups: [c.group], invitations: 1 });
      continue;
    }
    const u = out.get(key);
    if (!u) throw new Error(`${c.kind} of a missing user ${c.username}`);
    if (c.kind === 'set-email') u.email = c.email;
    if (c.kind === 'resend-invitation') u.invitations++;
    if (c.kind === 'add-to-group' && !u.groups.includes(c.group)) u.groups.push(c.group);
    if (c.kind === 'remove-from-group') u.groups = u.groups.filter((g) => g !== c.group);
    if (c.kind === 'enable') u.enabled = true;
    if (c.kind === 'disable') u.enabled = false;
  }
  return [...out.values()];
}

/** The sync sees only the roster's groups of a user. */
const seen = (users: readonly ModelUser[]): DirectoryUser[] => users.map((u) => ({ ...u, groups: u.groups.filter((g) => ROSTER_GROUPS.includes(g)) }));

const officer = (officerId: string, over: Partial<RosterOfficer> = {}): RosterOfficer => ({ officerId, email: `${officerId}@bhxh.example.vn`, role: 'collector', active: true, ...over });
const user = (username: string, over: Partial<ModelUser> = {}): ModelUser => ({ username, email: `${username}@bhxh.example.vn`, enabled: true, invited: false, groups: ['officer'], invitations: 0, ...over });
const roster = (officers: RosterOfficer[], over: Partial<Roster> = {}): Roster => ({ officers, refused: [], unidentified: 0, ...over });

describe('roster → directory: examples', () => {
  it('creates a new officer with the invitation, in their role group', () => {
    expect(planDirectorySync(roster([officer('cb.a', { role: 'team-lead' })]), []).changes).toEqual([
      { kind: 'create', username: 'cb.a', email: 'cb.a@bhxh.example.vn', group: 'team-lead' },
    ]);
  });

  it('changes nothing when the directory already matches', () => {
    const plan = planDirectorySync(roster([officer('cb.a')]), [user('cb.a')]);
    expect(plan).toEqual({ changes: [], skipped: [], handOver: [] });
  });

  it('updates a changed email (and invites again a user who never signed in) and moves a changed role between groups', () => {
    const plan = planDirectorySync(roster([officer('cb.a', { email: 'new@bhxh.example.vn', role: 'inspector' })]), [user('cb.a', { invited: true })]);
    expect(plan.changes).toEqual([
      { kind: 'set-email', username: 'cb.a', email: 'new@bhxh.example.vn' },
      { kind: 'resend-invitation', username: 'cb.a' },
      { kind: 'add-to-group', username: 'cb.a', group: 'inspector' },
      { kind: 'remove-from-group', username: 'cb.a', group: 'officer' },
    ]);
  });

  it('disables an inactive officer and a leaver, never deletes, and hands both on', () => {
    const plan = planDirectorySync(roster([officer('cb.a', { active: false }), officer('cb.b')]), [user('cb.a'), user('cb.b'), user('cb.gone', { groups: ['inspector'] })]);
    expect(plan.changes).toEqual([{ kind: 'disable', username: 'cb.a', because: 'inactive' }, { kind: 'disable', username: 'cb.gone', because: 'left' }]);
    expect(plan.handOver).toEqual([{ officerId: 'cb.a', because: 'inactive' }, { officerId: 'cb.gone', because: 'left' }]);
  });

  it('enables a returning officer again', () => {
    expect(planDirectorySync(roster([officer('cb.a')]), [user('cb.a', { enabled: false })]).changes).toEqual([{ kind: 'enable', username: 'cb.a' }]);
  });

  it("leaves the administrators' users (a manager outside the roster) alone", () => {
    expect(planDirectorySync(roster([officer('cb.a')]), [user('cb.a'), user('gd.manager', { groups: [] })])).toEqual({ changes: [], skipped: [], handOver: [] });
  });

  it('leaves an officer whose row was refused as they are, and disables nobody when a refused row has no readable id', () => {
    const users = [user('cb.a'), user('cb.typo', { email: 'old@bhxh.example.vn' })];
    expect(planDirectorySync(roster([], { refused: ['cb.typo'] }), users).changes).toEqual([{ kind: 'disable', username: 'cb.a', because: 'left' }]);
    const unsure = planDirectorySync(roster([officer('cb.b')], { unidentified: 1 }), users);
    expect(unsure.changes).toEqual([{ kind: 'create', username: 'cb.b', email: 'cb.b@bhxh.example.vn', group: 'officer' }]);
    expect(unsure.skipped.map((s) => s.key)).toEqual(['cb.a', 'cb.typo']);
    expect(unsure.handOver).toEqual([]);
  });

  it('disables nobody for an empty roster', () => {
    const plan = planDirectorySync(roster([]), [user('cb.a')]);
    expect(plan.changes).toEqual([]);
    expect(plan.skipped).toEqual([{ key: 'cb.a', reason: expect.stringContaining('loaded no officer') }]);
  });

  it('refuses a second user with the same email or the same name in another case, naming the first', () => {
    const plan = planDirectorySync(roster([officer('cb.a', { email: 'x@bhxh.example.vn' }), officer('cb.b', { email: 'X@bhxh.example.vn' }), officer('CB.A')]), []);
    expect(plan.changes.map((c) => c.username)).toEqual(['cb.a']);
    expect(plan.skipped).toEqual([
      { key: 'cb.b', reason: expect.stringContaining("also cb.a's") },
      { key: 'CB.A', reason: expect.stringContaining('same name as cb.a') },
    ]);
    // No email in a reason: they go to logs and reports.
    expect(JSON.stringify(plan.skipped)).not.toContain('@');
  });
});

describe('roster → directory: properties', () => {
  const ids = ['cb.a', 'cb.b', 'cb.c', 'tl.d', 'tt.e', 'CB.A'];
  const emails = ['a@x.vn', 'b@x.vn', 'c@x.vn', 'A@x.vn'];
  const rosterArb = fc.record({
    officers: fc.uniqueArray(fc.record({
      officerId: fc.constantFrom(...ids), email: fc.constantFrom(...emails), role: fc.constantFrom(...OFFICER_ROLES), active: fc.boolean(),
    }), { selector: (o) => o.officerId, maxLength: 6 }),
    refused: fc.subarray(['cb.c', 'zz.typo']),
    unidentified: fc.constantFrom(0, 0, 0, 1),
  });
  const usersArb = fc.uniqueArray(fc.record({
    username: fc.constantFrom(...ids, 'gd.manager', 'cb.old'),
    email: fc.option(fc.constantFrom(...emails), { nil: undefined }),
    enabled: fc.boolean(),
    invited: fc.boolean(),
    groups: fc.subarray([...STAFF_GROUPS]),
    invitations: fc.constant(0),
  }), { selector: (u) => u.username.toLowerCase(), maxLength: 7 });

  it('is idempotent: applying the plan and deciding again changes nothing', () => {
    fc.assert(fc.property(rosterArb, usersArb, (r, users) => {
      const after = apply(users, planDirectorySync(r, seen(users)).changes);
      expect(planDirectorySync(r, seen(after)).changes).toEqual([]);
    }));
  });

  it('never deletes a user, and touches only the groups the roster decides', () => {
    fc.assert(fc.property(rosterArb, usersArb, (r, users) => {
      const after = apply(users, planDirectorySync(r, seen(users)).changes);
      for (const u of users) {
        const a = after.find((x) => x.username === u.username);
        expect(a).toBeDefined();
        expect(a!.groups.filter((g) => !ROSTER_GROUPS.includes(g))).toEqual(u.groups.filter((g) => !ROSTER_GROUPS.includes(g)));
      }
    }));
  });

  it('leaves every active officer enabled with their email, in exactly their role group; every inactive one disabled', () => {
    fc.assert(fc.property(rosterArb, usersArb, (r, users) => {
      const plan = planDirectorySync(r, seen(users));
      const after = apply(users, plan.changes);
      const skipped = new Set(plan.skipped.map((s) => s.key));
      for (const o of r.officers) {
        if (skipped.has(o.officerId)) continue;
        const u = after.find((x) => x.username.toLowerCase() === o.officerId.toLowerCase());
        if (!o.active) {
          expect(u?.enabled ?? false).toBe(false);
          continue;
        }
        expect(u).toMatchObject({ enabled: true, email: o.email });
        expect(u!.groups.filter((g) => ROSTER_GROUPS.includes(g))).toEqual([GROUP_OF_ROLE[o.role]]);
      }
    }));
  });

  it('skips only refused officers, repeated names and repeated emails, and never changes a refused officer', () => {
    fc.assert(fc.property(rosterArb, usersArb, (r, users) => {
      const plan = planDirectorySync(r, seen(users));
      const refused = new Set(r.refused.map((id) => id.toLowerCase()));
      for (const c of plan.changes) expect(refused.has(c.username.toLowerCase())).toBe(false);
      const activeEmails = r.officers.filter((o) => o.active).map((o) => o.email.toLowerCase());
      for (const s of plan.skipped.filter((s) => r.officers.some((o) => o.officerId === s.key))) {
        const o = r.officers.find((x) => x.officerId === s.key)!;
        const repeatedName = r.officers.filter((x) => x.officerId.toLowerCase() === o.officerId.toLowerCase()).length > 1;
        const repeatedEmail = activeEmails.filter((e) => e === o.email.toLowerCase()).length > 1;
        expect(refused.has(o.officerId.toLowerCase()) || repeatedName || repeatedEmail).toBe(true);
      }
    }));
  });

  it('disables a governed user no longer in the roster, unless a refused row could be them; never one outside the role groups', () => {
    fc.assert(fc.property(rosterArb, usersArb, (r, users) => {
      const plan = planDirectorySync(r, seen(users));
      const after = apply(users, plan.changes);
      const named = new Set([...r.officers.map((o) => o.officerId), ...r.refused].map((id) => id.toLowerCase()));
      for (const u of users.filter((x) => !named.has(x.username.toLowerCase()))) {
        const a = after.find((x) => x.username === u.username)!;
        const governed = u.groups.some((g) => ROSTER_GROUPS.includes(g));
        const sure = r.unidentified === 0 && (r.officers.length > 0 || r.refused.length > 0);
        expect(a.enabled).toBe(governed && sure ? false : u.enabled);
      }
    }));
  });
});

describe('handing over the open tasks of officers who leave', () => {
  const candidate = (officerId: string, over: Partial<OfficerCandidate> = {}): OfficerCandidate => ({
    officerId, district: 'Tam Điệp', communes: [], role: 'collector', active: true, openTasks: 0, ...over,
  });

  it('spreads the tasks over the lightest loads, commune owners first, and says when nobody can take one', () => {
    const officers = [candidate('cb.gone', { active: false }), candidate('cb.a', { openTasks: 1 }), candidate('cb.b', { openTasks: 0 }), candidate('cb.c', { communes: ['Nam Sơn'], openTasks: 9 })];
    const tasks = ['t1', 't2', 't3'].map((taskId) => ({ taskId, role: 'collector' as const, district: 'Tam Điệp', commune: 'Bắc Sơn' }));
    expect(handOverTasks([...tasks, { taskId: 't4', role: 'collector', district: 'Tam Điệp', commune: 'Nam Sơn' }, { taskId: 't5', role: 'inspector', district: 'Tam Điệp', commune: '' }], officers)).toEqual([
      { taskId: 't1', to: 'cb.b' }, { taskId: 't2', to: 'cb.a' }, { taskId: 't3', to: 'cb.b' }, { taskId: 't4', to: 'cb.c' }, { taskId: 't5', to: null },
    ]);
  });

  it('places the highest-priority task first: the most pressing unit gets the lightest load, whatever the ids', () => {
    const inspectors = [candidate('tt.busy', { role: 'inspector', openTasks: 4 }), candidate('tt.free', { role: 'inspector', openTasks: 0 })];
    const task = (taskId: string, priority: number) => ({ taskId, role: 'inspector' as const, district: 'Tam Điệp', commune: '', priority });
    const moves = handOverTasks([task('a-low', 5), task('z-high', 60)], inspectors);
    expect(moves).toEqual([{ taskId: 'z-high', to: 'tt.free' }, { taskId: 'a-low', to: 'tt.free' }]);
    // With one place only at the lightest load, the high one takes it.
    const tight = [candidate('tt.busy', { role: 'inspector', openTasks: 1 }), candidate('tt.free', { role: 'inspector', openTasks: 0 })];
    expect(handOverTasks([task('a-low', 5), task('z-high', 60)], tight)).toEqual([{ taskId: 'z-high', to: 'tt.free' }, { taskId: 'a-low', to: 'tt.busy' }]);
  });

  it('gives every task to an active officer of its role and district, or to nobody only when there is none', () => {
    const officersArb = fc.uniqueArray(fc.record({
      officerId: fc.stringMatching(/^[a-z]{1,4}$/), district: fc.constantFrom('Tam Điệp', 'Nho Quan'), communes: fc.subarray(['Bắc Sơn', 'Nam Sơn']),
      role: fc.constantFrom(...OFFICER_ROLES), active: fc.boolean(), openTasks: fc.nat(5),
    }), { selector: (o) => o.officerId, maxLength: 8 });
    const tasksArb = fc.uniqueArray(fc.record({
      taskId: fc.stringMatching(/^T[0-9]{1,3}$/), role: fc.constantFrom(...OFFICER_ROLES), district: fc.constantFrom('Tam Điệp', 'Nho Quan'), commune: fc.constantFrom('Bắc Sơn', 'Nam Sơn', ''),
    }), { selector: (t) => t.taskId, maxLength: 10 });
    fc.assert(fc.property(tasksArb, officersArb, (tasks, officers) => {
      const moves = handOverTasks(tasks, officers);
      expect(moves.map((m) => m.taskId).sort()).toEqual(tasks.map((t) => t.taskId).sort());
      for (const m of moves) {
        const task = tasks.find((t) => t.taskId === m.taskId)!;
        const eligible = officers.filter((o) => o.active && o.role === task.role && o.district === task.district);
        if (m.to === null) expect(eligible).toEqual([]);
        else expect(eligible.map((o) => o.officerId)).toContain(m.to);
      }
      // The same input in another order gives the same moves.
      expect(handOverTasks([...tasks].reverse(), [...officers].reverse())).toEqual(moves);
    }));
  });
});
