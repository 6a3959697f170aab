import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pickOfficer, type OfficerCandidate } from '../../functions/core/assignment.ts';
import { OFFICER_ROLES } from '../../functions/core/policy.ts';

const officer = (id: string, over: Partial<OfficerCandidate> = {}): OfficerCandidate => ({
  officerId: id, district: 'Tam Điệp', communes: [], role: 'collector', active: true, openTasks: 0, ...over,
});
const request = { role: 'collector' as const, district: 'Tam Điệp', commune: 'Bắc Sơn' };

describe('officer assignment', () => {
  it('keeps the unit with its current officer while eligible', () => {
    const officers = [officer('a', { openTasks: 0 }), officer('b', { openTasks: 9 })];
    expect(pickOfficer({ ...request, currentOfficerId: 'b' }, officers)?.officerId).toBe('b');
  });

  it('reassigns when the current officer is inactive', () => {
    const officers = [officer('a', { openTasks: 3 }), officer('b', { active: false })];
    expect(pickOfficer({ ...request, currentOfficerId: 'b' }, officers)?.officerId).toBe('a');
  });

  it('prefers the commune owner, then the lighter load, then the id', () => {
    const officers = [officer('c', { openTasks: 0 }), officer('b', { communes: ['Bắc Sơn'], openTasks: 5 }), officer('a', { communes: ['Bắc Sơn'], openTasks: 5 })];
    expect(pickOfficer(request, officers)?.officerId).toBe('a');
    expect(pickOfficer({ ...request, commune: 'Nam Sơn' }, officers)?.officerId).toBe('c');
  });

  it('finds nobody outside the district or role', () => {
    expect(pickOfficer(request, [officer('x', { district: 'Nho Quan' }), officer('y', { role: 'inspector' })])).toBeNull();
  });

  it('always picks an eligible officer when one exists, and the same one for the same input', () => {
    const arb = fc.array(fc.record({
      officerId: fc.stringMatching(/^[a-z]{1,6}$/),
      district: fc.constantFrom('Tam Điệp', 'Nho Quan'),
      communes: fc.subarray(['Bắc Sơn', 'Nam Sơn', 'Tây Sơn']),
      role: fc.constantFrom(...OFFICER_ROLES),
      active: fc.boolean(),
      openTasks: fc.nat(20),
    }), { maxLength: 12 });
    fc.assert(fc.property(arb, fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: undefined }), (officers, current) => {
      const req = { ...request, currentOfficerId: current };
      const picked = pickOfficer(req, officers);
      const eligible = officers.filter((o) => o.active && o.role === 'collector' && o.district === 'Tam Điệp');
      if (eligible.length === 0) return picked === null;
      return picked !== null && eligible.some((o) => o === (picked as unknown)) && pickOfficer(req, [...officers].reverse())?.officerId === picked.officerId;
    }));
  });
});
