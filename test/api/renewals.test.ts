import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { startLocalStack, type LocalStack } from '../../local/embedded/stack.ts';
import { clock } from '../../functions/commons/clock.ts';
import { awsDeps } from '../../functions/commons/deps.ts';
import type { Participant } from '../../functions/commons/reminder-records.ts';
import type { ReminderRunSummary } from '../../functions/steps/reminder-run.ts';
import { scheduleCycle } from '../../functions/steps/schedule-cycle.ts';
import { staffEvent } from '../support/staff-event.ts';

/**
 * A renewal taken at the door or the counter, recorded through the staff API on the local stack:
 * the remaining reminders of that cycle stop at once, the next cycle is scheduled, a repeated
 * request records nothing twice, and a bad request says which field is wrong.
 */
let stack: LocalStack;
const AGENT = { officerId: 'dl.pham.thi.lan', name: 'Phạm Thị Lan', email: 'lan@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collection-agent' as const, active: true, phone: '0915000103' };
// Collection agents sign in in the officers' group; their officer record says what they do.
const agent = { staffId: AGENT.officerId, groups: ['officer'] };
const participant = (siCode: string): Participant => ({
  siCode, name: 'Đỗ Văn Hải', dateOfBirth: '1968-09-09', phone: `09${siCode.slice(2)}`, email: undefined, commune: 'Bắc Sơn', agentId: AGENT.officerId,
  preferredChannel: 'sms', locale: 'vi', consent: true, optOut: false, method: 'quarterly', chosenIncome: 2_500_000, supportGroup: 'other', supportMonthsUsed: 0, paidThrough: '2026-11',
});

async function call(who: { staffId?: string; groups?: string[] }, body: unknown) {
  const r = (await stack.lambdas.staffApi(staffEvent({ method: 'POST', path: '/renewals', ...who, body }))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, body: JSON.parse(r.body ?? 'null') as Record<string, unknown> };
}
const runOn = async (day: string) => {
  clock.setNow(new Date(`${day}T08:00:00+07:00`));
  return (await stack.lambdas.reminderRun({})) as ReminderRunSummary;
};

beforeAll(async () => {
  clock.setNow(new Date('2026-11-02T08:00:00+07:00'));
  stack = await startLocalStack({ taskTimeoutSeconds: 600 });
  await stack.store.putOfficers([AGENT]);
  await stack.reminders.putParticipants([participant('2700000401'), participant('2700000402')]);
  for (const code of ['2700000401', '2700000402']) await scheduleCycle(awsDeps(), 'vsi', code, '2026-11-02');
}, 120_000);
afterAll(() => stack?.close());

describe('POST /renewals', () => {
  it('stops the remaining reminders of the cycle at once and schedules the next one', async () => {
    expect((await runOn('2026-11-15')).sent.sms).toBe(2);
    clock.setNow(new Date('2026-11-20T10:00:00+07:00'));
    const renewal = { kind: 'vsi', code: '2700000401', reference: 'DOOR-0401-1', paidOn: '2026-11-20', paidThrough: '2027-02', amount: 2_475_000 };
    const r = await call(agent, renewal);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ outcome: 'recorded', coveredUntil: '2027-02-28', nextReminderOn: '2027-02-13' });
    // The same request again (a retry, a double tap): recorded once.
    expect((await call(agent, renewal)).body).toMatchObject({ outcome: 'duplicate' });
    // 3 days before the old cover ends: only the participant who did not renew is reminded.
    const run = await runOn('2026-11-27');
    expect(run).toMatchObject({ cycles: 1, sent: { sms: 1, email: 0 } });
    const cycles = (await stack.reminders.getPayer('vsi', '2700000401')).cycles;
    expect(cycles.map((c) => [c.coveredUntil, c.status])).toEqual([['2026-11-30', 'renewed'], ['2027-02-28', 'open']]);
  });

  it('says which field is wrong, and records nothing', async () => {
    const r = await call(agent, { kind: 'vsi', code: '27-0402', reference: 'DOOR 0402', paidOn: '2026-11-31' });
    expect(r.status).toBe(400);
    const fields = JSON.stringify(r.body);
    for (const field of ['code', 'reference', 'paidOn', 'paidThrough']) expect(fields).toContain(field);
    expect((await stack.reminders.getPayer('vsi', '2700000402')).renewals).toEqual([]);
  });

  it('is for collection staff: a manager reads, a token without a staff group is refused', async () => {
    const body = { kind: 'vsi', code: '2700000402', reference: 'DOOR-0402-1', paidOn: '2026-11-28', paidThrough: '2027-02' };
    expect((await call({ staffId: 'gd.manager', groups: ['manager'] }, body)).status).toBe(403);
    expect((await call({ staffId: 'someone' }, body)).status).toBe(403);
    expect((await stack.reminders.getPayer('vsi', '2700000402')).renewals).toEqual([]);
  });
});
