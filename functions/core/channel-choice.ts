import type { ChannelsPolicy, PricedChannel, ZnsTemplate } from './policy/channels-schema.ts';
import type { ReminderTemplateName } from './policy/reminders-schema.ts';

/**
 * Which phone channel a reminder goes by, and what the messages cost. A participant or household
 * whose record says they have Zalo gets the reminder's SMS slot by Zalo ZNS first (cheaper, and
 * read in the app); when ZNS refuses it for good (no Zalo account, the OA blocked, an invalid
 * phone, a template not approved...) the same message goes by SMS, under the same claim. Pure.
 */

/** How the reminder's phone message is tried: ZNS (with this template) and then SMS, or SMS alone. */
export type PhoneRoute = { first: 'zns'; template: ZnsTemplate } | { first: 'sms' };

/** The route of a reminder's phone message for a recipient. */
export function phoneRoute(recipient: { zalo: boolean; locale: 'vi' | 'en' }, template: ReminderTemplateName, channels: ChannelsPolicy): PhoneRoute {
  const zns = recipient.zalo ? channels.zns.reminders[template]?.[recipient.locale] : undefined;
  return zns ? { first: 'zns', template: zns } : { first: 'sms' };
}

/** Zalo's longest value for most parameter types (a name, a code, a label): a longer one is refused. */
export const ZNS_PARAM_MAX = 30;

/** A ZNS template's parameters filled from the reminder's facts; a value over Zalo's length is shortened (a long name). */
export function znsParams(template: ZnsTemplate, facts: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(template.params).map(([name, field]) => {
    const value = facts[field] ?? '';
    return [name, value.length <= ZNS_PARAM_MAX ? value : `${value.slice(0, ZNS_PARAM_MAX - 1).trimEnd()}…`];
  }));
}

export type ChannelCounts = Record<PricedChannel, number>;
export interface ChannelCost extends ChannelCounts {
  total: number;
}

export const noMessages = (): ChannelCounts => ({ sms: 0, zns: 0, email: 0 });

/**
 * The estimated cost of messages by channel, whole dong: count × the policy's price of a message
 * (SMS: per segment, so `smsSegments` when known; reminders are one segment each).
 */
export function estimatedCost(messages: Readonly<ChannelCounts>, prices: ChannelsPolicy['priceVnd'], smsSegments: number = messages.sms): ChannelCost {
  const sms = smsSegments * prices.sms;
  const zns = messages.zns * prices.zns;
  const email = messages.email * prices.email;
  return { sms, zns, email, total: sms + zns + email };
}
