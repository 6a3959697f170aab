import { describe, expect, it } from 'vitest';
import { estimatedCost, phoneRoute, znsParams, ZNS_PARAM_MAX } from '../../functions/core/channel-choice.ts';
import { channelsSchema, policyFor, policySchema, POLICY_VERSIONS } from '../../functions/core/policy.ts';
import { renderReminder } from '../../functions/core/reminder-notice.ts';

const policy = policyFor('2026-11-15');
const channels = policy.channels;

describe('which channel a phone reminder goes by', () => {
  it('a Zalo user: ZNS first with the step\'s template for their locale; without Zalo: SMS', () => {
    expect(phoneRoute({ zalo: true, locale: 'vi' }, 'upcoming', channels)).toEqual({ first: 'zns', template: channels.zns.reminders.upcoming!.vi });
    expect(phoneRoute({ zalo: false, locale: 'vi' }, 'upcoming', channels)).toEqual({ first: 'sms' });
  });

  it('a locale or step with no approved ZNS template goes by SMS', () => {
    expect(phoneRoute({ zalo: true, locale: 'en' }, 'upcoming', channels)).toEqual({ first: 'sms' });
    const none = channelsSchema.parse({ ...channels, zns: { reminders: {} } });
    expect(phoneRoute({ zalo: true, locale: 'vi' }, 'lapsed', none)).toEqual({ first: 'sms' });
  });

  it('fills each template parameter from the reminder (masked code, accents kept) and shortens what Zalo would refuse', () => {
    const step = policy.reminders.steps[0]!;
    const message = renderReminder(
      { kind: 'vsi', code: '2700000001', name: 'Nguyễn Thị Thanh Hương Hoàng Phương Anh', locale: 'vi', method: 'quarterly', chosenIncome: 3_000_000, agentName: 'Hoa', agentPhone: '+84915000101' },
      step, { coveredUntil: '2026-11-30', months: 3, from: '2026-12', to: '2027-02', amount: 1_980_000, support: 0 }, '2026-11-15', policy.reminders, { hotline: '1900 9068' },
    );
    const params = znsParams(channels.zns.reminders.upcoming!.vi, message.facts);
    expect(Object.keys(params).sort()).toEqual(Object.keys(channels.zns.reminders.upcoming!.vi.params).sort());
    expect(params.code).toBe('***0001');
    expect(params.deadline).toBe('30/11/2026');
    expect(params.agent_phone).toBe('0915000101');
    expect(params.customer_name!.length).toBeLessThanOrEqual(ZNS_PARAM_MAX);
    expect(params.customer_name).toMatch(/^Nguyễn Thị Thanh/);
    expect(JSON.stringify(params)).not.toContain('2700000001');
  });
});

describe('estimated cost by channel', () => {
  it('is count × the policy\'s price of each channel (SMS per segment), and adds up', () => {
    const prices = { sms: 800, zns: 250, email: 0 };
    expect(estimatedCost({ sms: 3, zns: 5, email: 7 }, prices)).toEqual({ sms: 2400, zns: 1250, email: 0, total: 3650 });
    expect(estimatedCost({ sms: 2, zns: 0, email: 0 }, prices, 3).sms).toBe(2400);
    expect(estimatedCost({ sms: 0, zns: 0, email: 0 }, prices).total).toBe(0);
  });

  it('the policy prices every channel in whole dong, ZNS below SMS, email 0', () => {
    expect(channels.priceVnd.zns).toBeLessThan(channels.priceVnd.sms);
    expect(channels.priceVnd.email).toBe(0);
  });

  it('the channels section is validated: a negative price or a template id that is not digits is refused', () => {
    const base = POLICY_VERSIONS[0]!;
    expect(policySchema.safeParse({ ...base, channels: { ...base.channels, priceVnd: { ...base.channels.priceVnd, sms: -1 } } }).success).toBe(false);
    const badId = { ...base.channels, zns: { reminders: { upcoming: { vi: { templateId: 'abc', params: { name: 'name' } } } } } };
    expect(policySchema.safeParse({ ...base, channels: badId }).success).toBe(false);
    const badField = { ...base.channels, zns: { reminders: { upcoming: { vi: { templateId: '1', params: { name: 'siCode' } } } } } };
    expect(policySchema.safeParse({ ...base, channels: badField }).success).toBe(false);
  });
});
