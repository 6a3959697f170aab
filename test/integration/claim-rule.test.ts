import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dynamoForTests } from '../support/dynamo.ts';
import { CLAIM_STATUSES, claimOutcome, type ClaimStatus, type WhenUnsure } from '../../functions/core/claim-rule.ts';
import type { ClaimCompletion, MessageRef } from '../../functions/commons/message-claims.ts';

/**
 * One claim rule for every message: whatever happens to a claim (taken, completed in any status,
 * left behind by a crash, tried again minutes or hours later), what the store answers on dynalite
 * is what core/claim-rule.ts says, for urging notices, statements, pre-disclosure notices and reminders alike.
 */
let env: Awaited<ReturnType<typeof dynamoForTests>>;
beforeAll(async () => { env = await dynamoForTests(); });
afterAll(() => env?.close());

const STALE_MINUTES = 15;
const T0 = Date.parse('2026-11-02T01:00:00Z');

const refOf = (message: MessageRef['message'], n: number): MessageRef => {
  const unitCode = `CLM${String(n).padStart(5, '0')}`;
  if (message === 'pre-disclosure') return { message, unitCode };
  if (message === 'reminder') return { message, cycle: { kind: 'vsi', code: `27${String(n).padStart(8, '0')}`, coveredUntil: '2026-12-31' }, step: 'before-30', channel: 'sms' };
  if (message === 'payment-confirmation') return { message, unitCode, reference: `REF-${n}` };
  if (message === 'officer-email') return { message, taskId: `${unitCode}-2026-11-visit`, purpose: 'task-overdue' };
  if (message === 'employee-notice') return { message, unitCode, cycle: '2026-11', employee: `EN-${String(n).padStart(16, '0')}` };
  if (message === 'employees-informed') return { message, unitCode, cycle: '2026-11' };
  if (message === 'manager-email') return { message, purpose: 'collection-report', managerId: `ld.${n}`, asOf: '2026-11-02' };
  return { message, unitCode, cycle: '2026-11' };
};

type Action = { kind: 'claim'; afterMinutes: number } | { kind: 'complete'; status: ClaimCompletion['status'] };
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), afterMinutes: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('complete' as const), status: fc.constantFrom('sent', 'failed', 'failed-permanent', 'held', 'not-needed') as fc.Arbitrary<ClaimCompletion['status']> }),
);

describe('the claim rule', () => {
  it('every status is either claimable again, final, or a claim in progress', () => {
    for (const status of CLAIM_STATUSES) {
      const outcome = claimOutcome({ status, claimedAt: new Date(T0).toISOString() }, new Date(T0), STALE_MINUTES);
      expect(['claimed', 'already-sent', 'in-progress', 'refused', 'abandoned']).toContain(outcome);
    }
    expect(claimOutcome({ status: 'sent', claimedAt: '2000-01-01T00:00:00Z' }, new Date(T0), STALE_MINUTES)).toBe('already-sent');
  });

  it('the store answers every claim as the rule says, for every kind of message, sent at least or at most once', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<MessageRef['message']>('urging', 'statement', 'pre-disclosure', 'payment-confirmation', 'officer-email', 'reminder'), fc.array(action, { minLength: 1, maxLength: 10 }), fc.constantFrom<WhenUnsure>('resend', 'give-up'), async (message, actions, whenUnsure) => {
        const ref = refOf(message, ++n);
        let model: { status: ClaimStatus; claimedAt: string } | undefined;
        let clock = T0;
        for (const a of actions) {
          if (a.kind === 'complete') {
            if (!model) continue; // a completion always follows a claim
            await env.store.complete(ref, { status: a.status });
            model = { ...model, status: a.status };
            continue;
          }
          clock += a.afterMinutes * 60_000;
          const now = new Date(clock);
          const expected = claimOutcome(model, now, STALE_MINUTES, whenUnsure);
          expect(await env.store.claim(ref, now, STALE_MINUTES, whenUnsure)).toBe(expected);
          if (expected === 'claimed') model = { status: 'claimed', claimedAt: now.toISOString() };
          if (expected === 'abandoned' && model) model = { ...model, status: 'abandoned' };
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a reminder SMS claim left by a crash: with the provider's send evidence it is sent, whatever the delay or the kind's choice; without, the choice decides", async () => {
    let n = 50_000;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 600 }), fc.boolean(), fc.constantFrom<WhenUnsure>('resend', 'give-up'), async (afterMinutes, evidence, whenUnsure) => {
        const ref = refOf('reminder', ++n);
        const claimedAt = new Date(T0);
        expect(await env.store.claim(ref, claimedAt, STALE_MINUTES, whenUnsure)).toBe('claimed');
        // The provider accepted it a second later; the worker died before completing the claim.
        if (evidence) expect(await env.store.recordEvidence(ref, { event: 'send', at: new Date(T0 + 1_000).toISOString(), messageId: `eum-${n}` })).toBe(true);
        const now = new Date(T0 + afterMinutes * 60_000);
        const expected = evidence ? 'already-sent' : claimOutcome({ status: 'claimed', claimedAt: claimedAt.toISOString() }, now, STALE_MINUTES, whenUnsure);
        expect(await env.store.claim(ref, now, STALE_MINUTES, whenUnsure)).toBe(expected);
      }),
      { numRuns: 40 },
    );
    // The edges the property covers: fresh (another worker's), stale and resent, stale and given up.
    expect(claimOutcome({ status: 'claimed', claimedAt: new Date(T0).toISOString() }, new Date(T0 + 60_000), STALE_MINUTES)).toBe('in-progress');
    expect(claimOutcome({ status: 'claimed', claimedAt: new Date(T0).toISOString() }, new Date(T0 + 16 * 60_000), STALE_MINUTES, 'resend')).toBe('claimed');
    expect(claimOutcome({ status: 'claimed', claimedAt: new Date(T0).toISOString() }, new Date(T0 + 16 * 60_000), STALE_MINUTES, 'give-up')).toBe('abandoned');
  });

  it('of ten workers claiming one statement at once, one gets it', async () => {
    const ref = refOf('statement', 99_999);
    const results = await Promise.all(Array.from({ length: 10 }, () => env.store.claim(ref, new Date(T0), STALE_MINUTES)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in-progress')).toHaveLength(9);
  });
});
