import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoForTests } from '../support/dynamo.ts';
import { fixedClock } from '../../functions/commons/clock.ts';
import { storePorts } from '../../functions/commons/deps.ts';
import { policyFor } from '../../functions/core/policy.ts';
import { loadOffice } from '../../infra/office-config.ts';
import { openTask } from '../../functions/steps/open-task.ts';
import { recordTaskTimeout } from '../../functions/steps/task-timeout.ts';
import { recordFailure } from '../../functions/steps/record-failure.ts';
import { clearHold, setHold } from '../../functions/steps/set-hold.ts';
import { ids } from '../../functions/commons/ids.ts';

/**
 * Case events on dynalite through the steps that record them: a retried step (the same call
 * again, as Step Functions retries it) records once; events that really happened twice are both kept.
 */
let env: Awaited<ReturnType<typeof dynamoForTests>>;
let now = new Date('2026-11-02T09:00:00+07:00');
const later = (seconds: number) => { now = new Date(now.getTime() + seconds * 1000); };
const deps = () => ({ ...storePorts(env.store), clock: fixedClock(() => now), policyFor, office: loadOffice(), mailer: { send: async () => 'm-1', sendWithAttachment: async () => 'm-2' }, inbox: { taskUrl: (id: string) => `http://127.0.0.1:8080/inbox/tasks/${id}`, reportUrl: (asOf: string) => `http://127.0.0.1:8080/inbox/report/${asOf}` } });
const UNIT = 'EV000001';
const CYCLE = '2026-11';

beforeAll(async () => {
  env = await dynamoForTests();
  await env.store.putEmployers([{ unitCode: UNIT, name: 'Công ty EV', taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: 'ev@example.vn', phone: '0912345678', locale: 'vi' }]);
  await env.store.putOfficers([{ officerId: 'cb.ev.a', name: 'Cán Bộ A', email: 'a@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true }]);
});
afterAll(() => env.close());

describe('case events recorded by the steps (dynalite)', () => {
  it('a retried step records its event once, even when the retry runs later', async () => {
    const taskId = ids.caseTask({ unitCode: UNIT, cycle: CYCLE, type: 'visit', escalated: false });
    const assignment = { assigned: true as const, officerId: 'cb.ev.a', taskId, taskType: 'visit' as const, escalated: false, role: 'collector' as const, dueDate: '2026-11-12', timeoutSeconds: 60 };
    const input = { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', assignment, token: 'token-1' };
    await openTask(deps(), input);
    later(30);
    // Same call again (a retry after a timeout), with the workflow's new token.
    await openTask(deps(), { ...input, token: 'token-2' });
    later(30);
    await recordTaskTimeout(deps(), { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', taskId, escalating: false });
    await recordTaskTimeout(deps(), { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', taskId, escalating: false });
    later(30);
    await recordFailure(deps(), { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', error: { Error: 'MessageRejected' } });
    await recordFailure(deps(), { unitCode: UNIT, cycle: CYCLE, asOf: '2026-11-02', error: { Error: 'MessageRejected' } });

    const history = await env.store.caseHistory(UNIT);
    expect(history.map((e) => e.kind)).toEqual(['task-opened', 'task-timed-out', 'step-failed']);
    expect(history[0]).toMatchObject({ dedupeKey: `task-opened#${taskId}`, detail: { taskId, taskType: 'visit', escalated: false, officerId: 'cb.ev.a', dueDate: '2026-11-12' } });
    expect(history[1]).toMatchObject({ dedupeKey: `task-timed-out#${taskId}`, detail: { taskId, taskType: 'visit', escalated: false, officerId: 'cb.ev.a', escalating: false } });
    expect(await env.store.getTask(taskId)).toMatchObject({ status: 'timed-out', token: 'token-2' });
  });

  it('keeps every hold set and lifted, the same hold set again after it was lifted included', async () => {
    const hold = { unitCode: 'EV000002', reason: 'force-majeure' as const, until: '2026-11-30', note: 'Bão số 3', setBy: 'tl.ev' };
    await env.store.putEmployers([{ unitCode: 'EV000002', name: 'Công ty EV 2', taxCode: '2700123456', district: 'Tam Điệp', commune: 'Bắc Sơn', email: 'ev2@example.vn', phone: '0912345678', locale: 'vi' }]);
    await setHold(deps(), hold);
    later(60);
    await clearHold(deps(), { unitCode: 'EV000002', actor: 'tl.ev' });
    // Lifting it again finds no hold: nothing to record.
    await clearHold(deps(), { unitCode: 'EV000002', actor: 'tl.ev' });
    later(60);
    await setHold(deps(), hold);
    const history = await env.store.caseHistory('EV000002');
    expect(history.map((e) => e.kind)).toEqual(['hold-set', 'hold-cleared', 'hold-set']);
    expect(history.map((e) => e.detail)).toEqual([
      { reason: 'force-majeure', until: '2026-11-30', hasNote: true, taskId: null }, {}, { reason: 'force-majeure', until: '2026-11-30', hasNote: true, taskId: null },
    ]);
    expect(JSON.stringify(history)).not.toContain('Bão');
  });
});
