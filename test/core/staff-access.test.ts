import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STAFF_GROUPS, caseAccess, reassignProblem, taskAccess, type Staff } from '../../functions/core/staff-access.ts';

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

describe('reassignment', () => {
  const task = { officerId: 'cb.a', role: 'collector' };
  const target = (officerId: string, role = 'collector', active = true) => ({ officerId, role, active });

  it('is a team lead’s, within the team, to an active officer of the task’s role (or to themselves)', () => {
    expect(reassignProblem(lead, task, target('cb.b'), team)).toBeNull();
    expect(reassignProblem(lead, task, target('tl.d', 'team-lead'), team)).toBeNull();
    expect(reassignProblem(officer, task, target('cb.b'), team)).toMatchObject({ status: 403 });
    expect(reassignProblem(lead, { ...task, officerId: 'cb.z' }, target('cb.b'), team)).toMatchObject({ status: 403 });
    expect(reassignProblem(lead, task, undefined, team)).toEqual({ status: 400, field: 'officerId', reason: 'is not a known officer' });
    expect(reassignProblem(lead, task, target('cb.z'), team)).toEqual({ status: 400, field: 'officerId', reason: 'is not in your team' });
    expect(reassignProblem(lead, task, target('cb.b', 'collector', false), team)).toEqual({ status: 400, field: 'officerId', reason: 'is not active (inactive or on leave)' });
    expect(reassignProblem(lead, task, target('cb.b', 'inspector'), team)).toEqual({ status: 400, field: 'officerId', reason: "must have the task's role (collector)" });
  });
});
