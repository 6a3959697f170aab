import { hiPaymentDue, vsiPaymentDue, type PaymentDue } from '../core/contribution.ts';
import type { Channel, PayerKind, RemindersPolicy } from '../core/reminder-policy.ts';
import { firstReminderOn } from '../core/reminder-schedule.ts';
import type { ReminderRecipient } from '../core/reminder-notice.ts';
import type { IsoDate } from '../core/dates.ts';
import { type Ports } from '../commons/deps.ts';
import type { PayerRecords } from '../commons/reminder-store.ts';

/** A participant or household as the reminders see it: cover, what is due, how to reach them. */
export interface PayerView {
  kind: PayerKind;
  code: string;
  due: PaymentDue;
  name: string;
  locale: 'vi' | 'en';
  phone?: string | undefined;
  email?: string | undefined;
  preferred: Channel;
  consent: boolean;
  optOut: boolean;
  /** Uses Zalo on this phone and agreed to reminders by it: the phone's reminder goes by ZNS first. */
  zalo: boolean;
  commune: string;
  agentId: string;
  method: string;
  chosenIncome?: number | undefined;
  members?: number | undefined;
}

/** The view of a participant or household, or undefined when there is none (or no card to renew). */
export function payerView(records: PayerRecords, policy: RemindersPolicy): PayerView | undefined {
  const p = records.participant;
  if (records.kind === 'vsi' && p) {
    return {
      kind: 'vsi', code: p.siCode, due: vsiPaymentDue(p, policy), name: p.name, locale: p.locale, phone: p.phone, email: p.email,
      preferred: p.preferredChannel, consent: p.consent, optOut: p.optOut, zalo: p.zalo ?? false, commune: p.commune, agentId: p.agentId, method: p.method, chosenIncome: p.chosenIncome,
    };
  }
  const h = records.household;
  if (records.kind === 'hi' && h && records.cards.length > 0) {
    return {
      kind: 'hi', code: h.householdCode, due: hiPaymentDue(records.cards.map((c) => c.expiresOn), h.method, policy), name: h.headName, locale: h.locale,
      phone: h.phone, email: h.email, preferred: h.preferredChannel, consent: h.consent, optOut: h.optOut, zalo: h.zalo ?? false, commune: h.commune, agentId: h.agentId,
      method: h.method, members: records.cards.length,
    };
  }
  return undefined;
}

export function recipientOf(view: PayerView, agent: { name: string; phone?: string | undefined }): ReminderRecipient {
  return {
    kind: view.kind, code: view.code, name: view.name, locale: view.locale, method: view.method, chosenIncome: view.chosenIncome,
    members: view.members, agentName: agent.name, agentPhone: agent.phone,
  };
}

/**
 * Puts a participant's or household's current cycle (its cover as stored now) in the reminder
 * index: today if a reminder is due today, else on its next reminder date. An older cycle still
 * open is over (cover now runs later: a renewal, or a re-import with a later paid-through) and
 * leaves the index at once. Called by the imports and by every renewal.
 */
export async function scheduleCycle(deps: Ports<'reminders' | 'policyFor'>, kind: PayerKind, code: string, today: IsoDate): Promise<{ coveredUntil: IsoDate; next: IsoDate | undefined } | undefined> {
  const store = deps.reminders;
  const policy = deps.policyFor(today).reminders;
  const records = await store.getPayer(kind, code);
  const view = payerView(records, policy);
  if (!view) return undefined;
  const coveredUntil = view.due.coveredUntil;
  for (const old of records.cycles) {
    if (old.status === 'open' && old.coveredUntil < coveredUntil) await store.markRenewed(old, today);
  }
  const current = records.cycles.find((c) => c.coveredUntil === coveredUntil);
  if (current?.status === 'renewed') return { coveredUntil, next: undefined };
  const next = firstReminderOn(coveredUntil, today, policy);
  await store.upsertCycle({ kind, code, coveredUntil, commune: view.commune, agentId: view.agentId }, next);
  return { coveredUntil, next };
}
