import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arrangementProblems, arrangementStanding, type Arrangement } from '../../functions/core/arrangement.ts';
import { assessLedger, decideEscalation } from '../../functions/core/escalation.ts';
import { addDays } from '../../functions/core/dates.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { renderUrgingNotice } from '../../functions/core/notice.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const grace = policy.arrangements.graceDays;
const plan: Arrangement = {
  kind: 'plan',
  agreedOn: '2026-11-02',
  instalments: [{ dueDate: '2026-11-20', amount: 10_000_000 }, { dueDate: '2026-12-20', amount: 10_000_000 }, { dueDate: '2027-01-20', amount: 5_000_000 }],
};
const pay = (paidOn: string, amount: number, reference = `P-${paidOn}`) => ({ reference, paidOn, amount });

describe('where a promise or plan stands', () => {
  it('is kept until an instalment is unpaid past its date plus the grace days, then missed', () => {
    expect(arrangementStanding(plan, [], '2026-11-20', policy)).toMatchObject({ state: 'kept', nextDueDate: '2026-11-20' });
    expect(arrangementStanding(plan, [], addDays('2026-11-20', grace), policy)).toMatchObject({ state: 'kept' });
    expect(arrangementStanding(plan, [], addDays('2026-11-20', grace + 1), policy)).toMatchObject({ state: 'missed', instalment: 1, dueDate: '2026-11-20', dueSoFar: 10_000_000 });
  });

  it('counts payments since the agreement cumulatively, whenever and however they come', () => {
    const split = [pay('2026-11-05', 4_000_000), pay('2026-11-18', 6_000_000)];
    expect(arrangementStanding(plan, split, '2026-12-01', policy)).toMatchObject({ state: 'kept', nextDueDate: '2026-12-20', paid: 10_000_000 });
    // Paid ahead: the first two instalments at once.
    expect(arrangementStanding(plan, [pay('2026-11-10', 20_000_000)], '2027-01-01', policy)).toMatchObject({ state: 'kept', nextDueDate: '2027-01-20' });
    expect(arrangementStanding(plan, [pay('2026-11-10', 25_000_000)], '2027-06-01', policy)).toMatchObject({ state: 'completed', paid: 25_000_000, total: 25_000_000 });
    // A payment from before the agreement paid the old debt, not the plan.
    expect(arrangementStanding(plan, [pay('2026-11-01', 25_000_000)], '2026-12-01', policy)).toMatchObject({ state: 'missed', instalment: 1 });
    // A payment dated in the future has not happened yet.
    expect(arrangementStanding(plan, [pay('2026-12-24', 10_000_000)], '2026-12-01', policy)).toMatchObject({ state: 'missed', instalment: 1 });
  });

  it('is never missed while payments keep up with every instalment due (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 500 }),
      (amounts, day) => {
        const instalments = amounts.map((amount, i) => ({ dueDate: addDays('2026-11-02', 30 * (i + 1)), amount }));
        const arrangement: Arrangement = { kind: 'plan', agreedOn: '2026-11-02', instalments };
        // Each instalment paid on its date.
        const payments = instalments.map((x, i) => pay(x.dueDate, x.amount, `P${i}`));
        const today = addDays('2026-11-02', day);
        const standing = arrangementStanding(arrangement, payments, today, policy);
        const due = instalments.filter((x) => x.dueDate <= today).length;
        return standing.state !== 'missed' && (standing.state === 'completed') === (due === instalments.length);
      },
    ));
  });

  it('misses exactly the first instalment not covered once its grace has passed (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 600_000_000 }),
      fc.integer({ min: 0, max: 500 }),
      (amounts, paid, day) => {
        const instalments = amounts.map((amount, i) => ({ dueDate: addDays('2026-11-02', 30 * (i + 1)), amount }));
        const today = addDays('2026-11-02', day);
        const standing = arrangementStanding({ kind: 'plan', agreedOn: '2026-11-02', instalments }, [pay('2026-11-02', paid)], today, policy);
        let cumulative = 0;
        const firstUncovered = instalments.findIndex((x) => (cumulative += x.amount) > paid);
        if (firstUncovered < 0) return standing.state === 'completed';
        const late = today > addDays(instalments[firstUncovered]!.dueDate, grace);
        return late ? standing.state === 'missed' && standing.instalment === firstUncovered + 1 : standing.state === 'kept';
      },
    ));
  });
});

describe('which promises and plans an officer may agree', () => {
  const today = '2026-11-02';
  it('accepts a promise within the policy days that covers the debt', () => {
    expect(arrangementProblems({ kind: 'promise', agreedOn: today, instalments: [{ dueDate: addDays(today, policy.arrangements.promiseMaxDays), amount: 50 }] }, today, 50, policy)).toEqual([]);
  });

  it('names each field that breaks a rule, with the reason', () => {
    expect(arrangementProblems({ kind: 'promise', agreedOn: today, instalments: [{ dueDate: addDays(today, policy.arrangements.promiseMaxDays + 1), amount: 10 }] }, today, 50, policy)).toEqual([
      { field: 'instalments.0.dueDate', reason: `must be on or before ${addDays(today, policy.arrangements.promiseMaxDays)} (policy limit for a promise)` },
      { field: 'instalments', reason: `together must cover the debt of 50 dong as of ${today}` },
    ]);
    expect(arrangementProblems({ kind: 'plan', agreedOn: today, instalments: [{ dueDate: '2026-11-01', amount: 10 }] }, today, 0, policy)).toEqual([
      { field: 'instalments', reason: `a payment plan has 2 to ${policy.arrangements.planMaxInstalments} instalments` },
      { field: 'instalments.0.dueDate', reason: 'must not be before today' },
    ]);
    expect(arrangementProblems({ kind: 'plan', agreedOn: today, instalments: [{ dueDate: '2026-12-01', amount: 10 }, { dueDate: '2026-12-01', amount: 10 }] }, today, 0, policy))
      .toEqual([{ field: 'instalments.1.dueDate', reason: 'must be after the previous instalment' }]);
  });

  it('bounds a plan by the policy months', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => ({ dueDate: addDays(today, 30 * i + 1), amount: 1 }));
    expect(arrangementProblems({ kind: 'plan', agreedOn: today, instalments: twelve }, today, 12, policy)).toEqual([]);
    const tooLong = [...twelve.slice(0, 11), { dueDate: '2027-11-03', amount: 1 }];
    expect(arrangementProblems({ kind: 'plan', agreedOn: today, instalments: tooLong }, today, 12, policy)[0]?.field).toBe('instalments.11.dueDate');
  });
});

describe('escalation under an arrangement', () => {
  const periods = ['2026-08', '2026-09'].map((period) => ({ period, amountDue: 10_000_000, dueDate: deadlineOf(period, policy) }));

  it('pauses while kept, resumes with the missed instalment named, and a hold still comes first', () => {
    const promise: Arrangement = { kind: 'promise', agreedOn: '2026-11-02', instalments: [{ dueDate: '2026-11-16', amount: 21_000_000 }] };
    expect(assessLedger({ periods, payments: [], arrangement: promise }, '2026-11-10', policy, true).decision).toMatchObject({ action: 'arrangement', kind: 'promise', nextDueDate: '2026-11-16' });
    const missed = assessLedger({ periods, payments: [], arrangement: promise }, '2026-12-02', policy, true).decision;
    expect(missed).toMatchObject({ action: 'escalate', missed: { kind: 'promise', instalment: 1, dueDate: '2026-11-16' } });
    expect(assessLedger({ periods, payments: [], arrangement: promise, hold: { reason: 'dispute', until: '2026-12-31' } }, '2026-12-02', policy, true).decision)
      .toMatchObject({ action: 'hold' });
  });

  it('an arrangement kept to the end that cleared the debt closes the case', () => {
    const promise: Arrangement = { kind: 'promise', agreedOn: '2026-11-02', instalments: [{ dueDate: '2026-11-16', amount: 21_000_000 }] };
    expect(assessLedger({ periods, payments: [pay('2026-11-15', 21_000_000)], arrangement: promise }, '2026-12-02', policy, true).decision)
      .toEqual({ action: 'close', reason: 'debt-cleared' });
  });

  it('the urging notice after a missed instalment says so, in the unit language; otherwise it has no such line', () => {
    const status = ledgerStatus(periods, [], '2026-12-02', policy);
    const stage = policy.stages[1]!;
    const unit = { unitCode: 'PLAN0001', name: 'Công ty A', taxCode: '2700123456' };
    const vi = renderUrgingNotice({ ...unit, locale: 'vi' }, status, stage, '2026-12-02', policy, letterOf('urging', 'PLAN0001', '2026-12'), { kind: 'plan', instalment: 2, dueDate: '2026-11-20' });
    expect(vi.body).toContain('Đơn vị đã không nộp đúng hạn kỳ 2 (20/11/2026) theo kế hoạch nộp dần đã cam kết');
    const en = renderUrgingNotice({ ...unit, locale: 'en' }, status, stage, '2026-12-02', policy, letterOf('urging', 'PLAN0001', '2026-12'), { kind: 'promise', instalment: 1, dueDate: '2026-11-20' });
    expect(en.body).toContain('did not pay instalment 1 (due 20/11/2026) of the promise to pay');
    const plain = renderUrgingNotice({ ...unit, locale: 'vi' }, status, stage, '2026-12-02', policy, letterOf('urging', 'PLAN0001', '2026-12'));
    expect(plain.body).not.toContain('cam kết');
    expect(plain.body).not.toMatch(/\n\n\n/);
    expect(decideEscalation(status, true, policy)).toMatchObject({ action: 'escalate' });
  });
});
