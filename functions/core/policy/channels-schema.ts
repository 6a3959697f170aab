import { z } from 'zod';
import { REMINDER_TEMPLATES } from './reminders-schema.ts';

/**
 * The channels section of the policy (schema.ts): what one message costs on each channel (whole
 * dong, as contracted: an SMS of one segment from the registered sender ID, a Zalo ZNS template
 * message, an email), and the Zalo ZNS templates the reminders are sent by. A ZNS template is
 * approved by Zalo beforehand with named parameters; the policy gives, for each reminder template
 * and locale, the approved template's id and what fills each of its parameters. A reminder whose
 * template has no ZNS template here goes by SMS only.
 */

/** Every message channel the product prices (reminders, employees' notices, emails). */
export const PRICED_CHANNELS = ['sms', 'zns', 'email'] as const;
export type PricedChannel = (typeof PRICED_CHANNELS)[number];

/** What a ZNS parameter may be filled with: facts of the reminder, never the whole SI code (masked). */
export const ZNS_FIELDS = ['name', 'maskedCode', 'amount', 'deadline', 'daysLeft', 'members', 'agentName', 'agentPhone'] as const;
export type ZnsField = (typeof ZNS_FIELDS)[number];

const znsTemplate = z.object({
  /** The template id Zalo gave when it approved the template (digits). */
  templateId: z.string().regex(/^\d{1,20}$/, 'must be the digits of an approved ZNS template id'),
  /** Each parameter name of the approved template, and the fact it is filled with. */
  params: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a ZNS parameter name (lower-case, digits, _)'), z.enum(ZNS_FIELDS))
    .refine((p) => Object.keys(p).length > 0, 'a template has at least one parameter'),
});
export type ZnsTemplate = z.infer<typeof znsTemplate>;

export const channelsSchema = z.object({
  /** Price of one message, whole dong: SMS per segment (reminders are one segment), ZNS per message delivered, email 0. */
  priceVnd: z.object({ sms: z.number().int().min(0), zns: z.number().int().min(0), email: z.number().int().min(0) }),
  zns: z.object({
    /** The reminder templates sent by ZNS first (for participants who said they have Zalo), per locale. */
    reminders: z.partialRecord(z.enum(REMINDER_TEMPLATES), z.object({ vi: znsTemplate, en: znsTemplate.optional() })),
  }),
});
export type ChannelsPolicy = z.infer<typeof channelsSchema>;
