import { describe, expect, it } from 'vitest';
import { assertAllowed, errorResponse } from '../../functions/api/http.ts';
import type { Decision } from '../../functions/core/staff-access.ts';

/** The HTTP edge of the access decisions: a refusal's reason becomes its status, the message its text. */
const answer = (decision: Decision, message = 'refused') => {
  try {
    assertAllowed(decision, message);
    return null;
  } catch (error) {
    const r = errorResponse(error) as { statusCode: number; body: string };
    return { status: r.statusCode, body: JSON.parse(r.body) };
  }
};

describe('access refusals at the HTTP edge', () => {
  it('lets an allowed request through', () => {
    expect(answer({ allowed: true })).toBeNull();
  });

  it('answers 403 for what the person may not see or do', () => {
    for (const reason of ['role-not-allowed', 'not-your-task', 'read-only', 'not-assigned-officer', 'not-your-case', 'task-not-in-team'] as const) {
      expect(answer({ allowed: false, reason }, `no: ${reason}`)).toEqual({ status: 403, body: { error: 'Forbidden', message: `no: ${reason}` } });
    }
  });

  it('answers 400 naming the officerId field for whose tasks to list or whom to give a task to', () => {
    for (const reason of ['officer-required', 'officer-unknown', 'officer-not-in-team', 'officer-inactive', 'officer-wrong-role'] as const) {
      expect(answer({ allowed: false, reason }, 'is wrong')).toEqual({ status: 400, body: { error: 'InvalidInput', issues: [{ field: 'officerId', reason: 'is wrong' }] } });
    }
  });

  it('words the message from the reason when asked to', () => {
    expect(() => assertAllowed({ allowed: false, reason: 'read-only' }, (r) => `because ${r}`)).toThrow('because read-only');
  });
});
