import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideEscalation, holdProblem, nextStage, stageFor } from '../../functions/core/escalation.ts';
import { addDays } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf, policyFor, policySchema } from '../../functions/core/policy.ts';

const policy = POLICY_VERSIONS.at(-1)!;

describe('stage decision', () => {
  it('follows the policy thresholds: notice at 1 month, officer at 2, inspection at 3 and beyond', () => {
    expect(stageFor(0, policy)).toBeNull();
    expect(stageFor(1, policy)?.stage).toBe('urging-notice');
    expect(stageFor(2, policy)?.stage).toBe('officer-visit');
    expect(stageFor(3, policy)?.stage).toBe('inspection');
    expect(stageFor(40, policy)?.stage).toBe('inspection');
  });

  it('never moves down as months overdue rise', () => {
    const rank = (m: number) => policy.stages.findIndex((s) => s.stage === stageFor(m, policy)?.stage);
    fc.assert(fc.property(fc.nat(200), fc.nat(200), (a, b) => (a <= b ? rank(a) <= rank(b) : rank(a) >= rank(b))));
  });

  it('closes an open case when the debt is cleared, and ignores a paid-up employer without one', () => {
    const paid = ledgerStatus([], [], '2026-11-02', policy);
    expect(decideEscalation(paid, true, policy)).toEqual({ action: 'close', reason: 'debt-cleared' });
    expect(decideEscalation(paid, false, policy)).toEqual({ action: 'none', reason: 'no-arrears' });
  });

  it('escalates on the anchor period with the debt', () => {
    const s = ledgerStatus([{ period: '2026-08', amountDue: 9_000_000, dueDate: deadlineOf('2026-08', policy) }], [], '2026-11-02', policy);
    const d = decideEscalation(s, false, policy);
    expect(d).toMatchObject({ action: 'escalate', anchorPeriod: '2026-08', monthsOverdue: 2, stage: { stage: 'officer-visit' } });
  });

  it('names the following measure, staying at the last stage', () => {
    expect(nextStage(policy.stages[0]!, policy)?.stage).toBe('officer-visit');
    expect(nextStage(policy.stages.at(-1)!, policy)).toBeNull();
  });
});

describe('policy', () => {
  it('rejects stages that do not rise in months overdue', () => {
    const bad = { ...policy, stages: [policy.stages[1], policy.stages[0]] };
    const r = policySchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['stages', 1, 'minMonthsOverdue']);
  });

  it('dates the deadline rule: last day of the month after the period', () => {
    expect(deadlineOf('2026-10', policy)).toBe('2026-11-30');
    expect(deadlineOf('2024-01', policy)).toBe('2024-02-29');
    expect(deadlineOf('2026-12', policy)).toBe('2027-01-31');
  });

  it('picks the version in effect on a date', () => {
    expect(policyFor('2026-11-02').version).toBe(policy.version);
  });
});

describe('holds', () => {
  const late = ledgerStatus([{ period: '2026-08', amountDue: 9_000_000, dueDate: deadlineOf('2026-08', policy) }], [], '2026-11-02', policy);

  it('pause escalation through their end date, then follow-up resumes by itself', () => {
    expect(decideEscalation(late, true, policy, { reason: 'force-majeure', until: '2026-11-02' })).toMatchObject({ action: 'hold', reason: 'force-majeure', until: '2026-11-02', monthsOverdue: 2 });
    expect(decideEscalation(late, true, policy, { reason: 'force-majeure', until: '2026-11-01' })).toMatchObject({ action: 'escalate' });
  });

  it('never stop a cleared case from closing', () => {
    const paid = ledgerStatus([], [], '2026-11-02', policy);
    expect(decideEscalation(paid, true, policy, { reason: 'dispute', until: '2026-12-31' })).toEqual({ action: 'close', reason: 'debt-cleared' });
  });

  it('never escalate while a hold is in force, whatever the debt', () => {
    fc.assert(fc.property(fc.nat(60), fc.nat(400), (months, daysLeft) => {
      const status = { ...late, monthsOverdue: months, asOf: '2026-11-02' };
      return decideEscalation(status, true, policy, { reason: 'insolvency', until: addDays('2026-11-02', daysLeft) }).action !== 'escalate';
    }));
  });

  it('are limited by reason in the policy', () => {
    expect(holdProblem({ reason: 'dispute', until: '2026-12-31' }, '2026-11-02', policy)).toBe(null);
    expect(holdProblem({ reason: 'dispute', until: '2027-01-02' }, '2026-11-02', policy)).toBe('a dispute hold may last at most 60 days (until 2027-01-01)');
    expect(holdProblem({ reason: 'other', until: '2026-11-01' }, '2026-11-02', policy)).toBe('until must not be before today');
  });
});
