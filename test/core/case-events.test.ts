import { describe, expect, it } from 'vitest';
import { CASE_EVENT_KINDS, caseEvent, caseEventSchema, dedupeKeyOf, describeCaseEvent, type NewCaseEvent } from '../../functions/core/case-events.ts';
import { SAMPLES, base, visit, assessment } from '../support/case-event-samples.ts';

describe('case events', () => {
  it('has one sample here for every kind, each valid, described and keyed', () => {
    expect(SAMPLES.map((e) => e.kind).sort()).toEqual([...CASE_EVENT_KINDS].sort());
    for (const e of SAMPLES) {
      const stored = caseEvent(e);
      expect(stored.dedupeKey).toBe(dedupeKeyOf(e));
      expect(caseEventSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
      expect(describeCaseEvent(stored).length).toBeGreaterThan(0);
    }
    // No two different events of the samples share a key.
    expect(new Set(SAMPLES.map(dedupeKeyOf)).size).toBe(SAMPLES.length);
  });

  it('makes the same key for a retried event (another time), and another one for another move of the same task', () => {
    for (const e of SAMPLES.filter((x) => x.kind !== 'hold-set' && x.kind !== 'hold-cleared')) {
      expect(dedupeKeyOf({ ...e, at: '2026-11-02T09:59:59.000Z' })).toBe(dedupeKeyOf(e));
    }
    const move = (reassignment: number, to: string): NewCaseEvent => ({ ...base, kind: 'task-reassigned', actor: 'tl.d', detail: { ...visit, from: 'x', to, reassignment } });
    expect([move(1, 'cb.b'), move(2, 'cb.a'), move(3, 'cb.b')].map(dedupeKeyOf)).toEqual([
      `task-reassigned#${visit.taskId}#1`, `task-reassigned#${visit.taskId}#2`, `task-reassigned#${visit.taskId}#3`,
    ]);
  });

  it('refuses a detail with a field its kind does not declare (no personal data slips in), a missing field, or an unknown kind', () => {
    expect(() => caseEvent({ ...base, kind: 'hold-set', detail: { reason: 'other', until: '2026-11-30', hasNote: true, taskId: null, note: 'Bà Lan, 0912345678' } as never })).toThrow(/note/);
    expect(() => caseEvent({ ...base, kind: 'task-opened', detail: { taskId: 'T', officerId: 'cb.a', dueDate: '2026-11-12' } as never })).toThrow(/taskType/);
    expect(caseEventSchema.safeParse({ ...base, kind: 'task-opened-visit', dedupeKey: 'task-opened-visit', detail: {} }).success).toBe(false);
  });
});
