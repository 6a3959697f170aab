import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PERMISSIONS, STAFF_GROUPS, caseAccess, caseDecision, collectionReportDecision, listTasksDecision, reassignDecision, renewalDecision, roleDecision, taskAccess, taskDecision,
  type Permission, type Staff,
} from '../../functions/core/staff-access.ts';

const officer: Staff = { staffId: 'cb.a', groups: ['officer'] };
const lead: Staff = { staffId: 'tl.d', groups: ['team-lead'] };
const manager: Staff = { staffId: 'gd.m', groups: ['manager'] };
const team = new Set(['cb.a', 'cb.b']);
const none = new Set<string>();

describe('task access', () => {
  it('an officer acts on their own task only; a team lead on the team’s; a manager reads', () => {
    expect(taskAccess(officer, { officerId: 'cb.a' }, none)).toBe('act');
    expect(taskAccess(officer, { officerId: 'cb.b' }, none)).toBe('none');
    expect(taskAccess(lead, { officerId: 'cb.b' }, team)).toBe('act');
    expect(taskAccess(lead, { officerId: 'cb.z' }, team)).toBe('none');
    expect(taskAccess(manager, { officerId: 'cb.z' }, none)).toBe('read');
  });

  it('nobody outside the team and not a manager ever gets access to another person’s task (property)', () => {
    const groups = fc.subarray([...STAFF_GROUPS], { minLength: 1 });
    fc.assert(fc.property(groups, fc.constantFrom('cb.a', 'cb.b', 'cb.z', 'tl.d'), fc.constantFrom('cb.a', 'cb.b', 'cb.z', 'tl.d'), (g, me, owner) => {
      const staff: Staff = { staffId: me, groups: g };
      const myTeam = g.includes('team-lead') && me === 'tl.d' ? team : none;
      const access = taskAccess(staff, { officerId: owner }, myTeam);
      if (owner === me) return access === 'act';
      if (myTeam.has(owner)) return access === 'act';
      return access === (g.includes('manager') ? 'read' : 'none');
    }));
  });
});

describe('case access', () => {
  it('the unit’s collector or inspector, whoever holds a task on it, their team lead, and managers read it', () => {
    const unit = { unitCode: 'U1', officerId: 'cb.a', inspectorId: 'tt.c' };
    expect(caseAccess(officer, unit, none, none)).toBe('read');
    expect(caseAccess({ staffId: 'tt.c', groups: ['inspector'] }, unit, none, none)).toBe('read');
    expect(caseAccess({ staffId: 'cb.b', groups: ['officer'] }, unit, none, none)).toBe('none');
    expect(caseAccess({ staffId: 'cb.b', groups: ['officer'] }, unit, none, new Set(['U1']))).toBe('read');
    expect(caseAccess(lead, unit, team, none)).toBe('read');
    expect(caseAccess(lead, { unitCode: 'U2', officerId: 'cb.z' }, team, none)).toBe('none');
    expect(caseAccess(manager, { unitCode: 'U3' }, none, none)).toBe('read');
  });
});

const inspector: Staff = { staffId: 'tt.c', groups: ['inspector'] };
const allowed = { allowed: true };
const refused = (reason: string) => ({ allowed: false, reason });

describe('listing tasks', () => {
  it('one’s own and the team’s; a manager names whose', () => {
    expect(listTasksDecision(officer, undefined, none)).toEqual(allowed);
    expect(listTasksDecision(officer, 'cb.a', none)).toEqual(allowed);
    expect(listTasksDecision(officer, 'cb.b', none)).toEqual(refused('not-your-task'));
    expect(listTasksDecision(lead, 'cb.b', team)).toEqual(allowed);
    expect(listTasksDecision(lead, 'cb.z', team)).toEqual(refused('not-your-task'));
    expect(listTasksDecision(manager, 'cb.z', none)).toEqual(allowed);
    expect(listTasksDecision(manager, undefined, none)).toEqual(refused('officer-required'));
    expect(listTasksDecision({ staffId: 'gd.m', groups: ['manager', 'team-lead'] }, undefined, team)).toEqual(allowed);
  });
});

describe('working a task', () => {
  it('reads one’s own, the team’s, and (a manager) any', () => {
    expect(taskDecision(officer, 'read-task', { officerId: 'cb.a' }, none)).toEqual(allowed);
    expect(taskDecision(officer, 'read-task', { officerId: 'cb.b' }, none)).toEqual(refused('not-your-task'));
    expect(taskDecision(lead, 'read-task', { officerId: 'cb.b' }, team)).toEqual(allowed);
    expect(taskDecision(manager, 'read-task', { officerId: 'cb.z' }, none)).toEqual(allowed);
  });

  it('records an outcome on one’s own or the team’s; a manager only reads', () => {
    expect(taskDecision(officer, 'record-outcome', { officerId: 'cb.a' }, none)).toEqual(allowed);
    expect(taskDecision(inspector, 'record-outcome', { officerId: 'tt.c' }, none)).toEqual(allowed);
    expect(taskDecision(officer, 'record-outcome', { officerId: 'cb.b' }, none)).toEqual(refused('not-your-task'));
    expect(taskDecision(lead, 'record-outcome', { officerId: 'cb.b' }, team)).toEqual(allowed);
    expect(taskDecision(manager, 'record-outcome', { officerId: 'cb.z' }, none)).toEqual(refused('read-only'));
    // The contact log follows the same rule: the task's officer or their team lead; a manager reads.
    expect(taskDecision(officer, 'record-contact', { officerId: 'cb.a' }, none)).toEqual(allowed);
    expect(taskDecision(lead, 'record-contact', { officerId: 'cb.b' }, team)).toEqual(allowed);
    expect(taskDecision(officer, 'record-contact', { officerId: 'cb.b' }, none)).toEqual(refused('not-your-task'));
    expect(taskDecision(manager, 'record-contact', { officerId: 'cb.z' }, none)).toEqual(refused('read-only'));
  });

  it('is acknowledged by the assigned officer only, not their team lead', () => {
    expect(taskDecision(officer, 'acknowledge-task', { officerId: 'cb.a' }, none)).toEqual(allowed);
    expect(taskDecision(lead, 'acknowledge-task', { officerId: 'cb.b' }, team)).toEqual(refused('not-assigned-officer'));
    expect(taskDecision(officer, 'acknowledge-task', { officerId: 'cb.b' }, none)).toEqual(refused('not-your-task'));
    expect(taskDecision(manager, 'acknowledge-task', { officerId: 'cb.z' }, none)).toEqual(refused('read-only'));
  });
});

describe('a unit’s case', () => {
  const unit = { unitCode: 'U1', officerId: 'cb.a', inspectorId: 'tt.c' };
  const other = { unitCode: 'U2', officerId: 'cb.z' };

  it('is read by those with access to it (see case access)', () => {
    expect(caseDecision(officer, 'read-case', unit, none, none)).toEqual(allowed);
    expect(caseDecision(officer, 'read-case', other, none, none)).toEqual(refused('not-your-case'));
    expect(caseDecision(manager, 'read-case', other, none, none)).toEqual(allowed);
  });

  it('takes payments from collection staff on their cases, never from a manager', () => {
    expect(caseDecision(officer, 'record-payment', unit, none, none)).toEqual(allowed);
    expect(caseDecision(inspector, 'record-payment', unit, none, none)).toEqual(allowed);
    expect(caseDecision(lead, 'record-payment', unit, team, none)).toEqual(allowed);
    expect(caseDecision(officer, 'record-payment', other, none, none)).toEqual(refused('not-your-case'));
    expect(caseDecision(manager, 'record-payment', unit, none, none)).toEqual(refused('role-not-allowed'));
    expect(caseDecision({ staffId: 'gd.m', groups: ['manager', 'officer'] }, 'record-payment', { unitCode: 'U3', officerId: 'gd.m' }, none, none)).toEqual(allowed);
  });

  it('is put on hold, or its hold lifted, by a team lead of the team’s case only', () => {
    for (const permission of ['set-hold', 'lift-hold'] as const) {
      expect(caseDecision(lead, permission, unit, team, none)).toEqual(allowed);
      expect(caseDecision(lead, permission, other, team, none)).toEqual(refused('not-your-case'));
      expect(caseDecision(officer, permission, unit, none, none)).toEqual(refused('role-not-allowed'));
      expect(caseDecision(inspector, permission, unit, none, none)).toEqual(refused('role-not-allowed'));
      expect(caseDecision(manager, permission, unit, none, none)).toEqual(refused('role-not-allowed'));
    }
  });
});

describe('renewals', () => {
  it('are recorded by collection staff, never by a manager', () => {
    expect(renewalDecision(officer)).toEqual(allowed);
    expect(renewalDecision(lead)).toEqual(allowed);
    expect(renewalDecision(inspector)).toEqual(allowed);
    expect(renewalDecision(manager)).toEqual(refused('role-not-allowed'));
  });
});

describe('the collection report', () => {
  it("is read by managers only: not by a team lead (it ranks the whole office's officers), an officer or an inspector", () => {
    expect(collectionReportDecision(manager)).toEqual(allowed);
    expect(collectionReportDecision({ staffId: 'ld.x', groups: ['team-lead', 'manager'] })).toEqual(allowed);
    for (const who of [lead, officer, inspector]) expect(collectionReportDecision(who)).toEqual(refused('role-not-allowed'));
  });
});

describe('every permission', () => {
  it('a manager reads everything and changes nothing', () => {
    const everyone = new Set(['cb.a', 'cb.b', 'cb.z']);
    expect(listTasksDecision(manager, 'cb.z', none).allowed).toBe(true);
    expect(taskDecision(manager, 'read-task', { officerId: 'cb.z' }, none).allowed).toBe(true);
    expect(caseDecision(manager, 'read-case', { unitCode: 'U9' }, none, none).allowed).toBe(true);
    expect(taskDecision(manager, 'record-outcome', { officerId: 'cb.z' }, none).allowed).toBe(false);
    expect(taskDecision(manager, 'acknowledge-task', { officerId: 'cb.z' }, none).allowed).toBe(false);
    expect(reassignDecision(manager, { officerId: 'cb.a', role: 'collector' }, { officerId: 'cb.b', role: 'collector', active: true }, everyone).allowed).toBe(false);
    for (const p of ['record-payment', 'set-hold', 'lift-hold'] as const) expect(caseDecision(manager, p, { unitCode: 'U9', officerId: 'gd.m' }, everyone, new Set(['U9'])).allowed).toBe(false);
    expect(renewalDecision(manager).allowed).toBe(false);
  });

  it('nothing is allowed that the person’s groups do not permit, and nobody acts on a task outside their own and their team’s (property)', () => {
    const who = fc.constantFrom('cb.a', 'cb.b', 'cb.z', 'tl.d');
    fc.assert(fc.property(fc.subarray([...STAFF_GROUPS]), who, who, fc.boolean(), fc.boolean(), (g, me, owner, inTeam, holdsTask) => {
      const staff: Staff = { staffId: me, groups: g };
      const myTeam = inTeam && g.includes('team-lead') ? team : none;
      const taskUnits = holdsTask ? new Set(['U1']) : none;
      const unit = { unitCode: 'U1', officerId: owner };
      const decided: [Permission, { allowed: boolean }][] = [
        ['list-tasks', listTasksDecision(staff, owner, myTeam)],
        ...(['read-task', 'record-outcome', 'record-contact', 'acknowledge-task'] as const).map((p) => [p, taskDecision(staff, p, { officerId: owner }, myTeam)] as [Permission, { allowed: boolean }]),
        ...(['read-case', 'record-payment', 'set-hold', 'lift-hold'] as const).map((p) => [p, caseDecision(staff, p, unit, myTeam, taskUnits)] as [Permission, { allowed: boolean }]),
        ['reassign-task', reassignDecision(staff, { officerId: owner, role: 'collector' }, { officerId: owner, role: 'collector', active: true }, myTeam)],
        ['record-renewal', renewalDecision(staff)],
        ['read-collection-report', collectionReportDecision(staff)],
      ];
      expect(new Set(decided.map(([p]) => p))).toEqual(new Set(PERMISSIONS));
      for (const [permission, decision] of decided) {
        if (decision.allowed) expect(roleDecision(staff, permission).allowed).toBe(true);
        if (g.length === 0) expect(decision.allowed).toBe(false);
      }
      const mine = owner === me || myTeam.has(owner);
      for (const [permission, decision] of decided) {
        if (['record-outcome', 'record-contact', 'acknowledge-task', 'reassign-task'].includes(permission) && decision.allowed) expect(mine).toBe(true);
      }
    }));
  });
});

describe('reassignment', () => {
  const task = { officerId: 'cb.a', role: 'collector' };
  const target = (officerId: string, role = 'collector', active = true) => ({ officerId, role, active });

  it('is a team lead’s, within the team, to an active officer of the task’s role (or to themselves)', () => {
    expect(reassignDecision(lead, task, target('cb.b'), team)).toEqual(allowed);
    expect(reassignDecision(lead, task, target('tl.d', 'team-lead'), team)).toEqual(allowed);
    expect(reassignDecision(officer, task, target('cb.b'), team)).toEqual(refused('role-not-allowed'));
    expect(reassignDecision(lead, { ...task, officerId: 'cb.z' }, target('cb.b'), team)).toEqual(refused('task-not-in-team'));
    expect(reassignDecision(lead, task, undefined, team)).toEqual(refused('officer-unknown'));
    expect(reassignDecision(lead, task, target('cb.z'), team)).toEqual(refused('officer-not-in-team'));
    expect(reassignDecision(lead, task, target('cb.b', 'collector', false), team)).toEqual(refused('officer-inactive'));
    expect(reassignDecision(lead, task, target('cb.b', 'inspector'), team)).toEqual(refused('officer-wrong-role'));
  });
});
