import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { smsSegments, toGsm7 } from '../../functions/core/sms.ts';
import { hiPaymentDue, vsiPaymentDue, type PaymentDue } from '../../functions/core/contribution.ts';
import { renderReminder, type ReminderRecipient } from '../../functions/core/reminder-notice.ts';
import { addDays, addMonths, type IsoDate } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS } from '../../functions/core/policy.ts';
import type { RemindersPolicy } from '../../functions/core/reminder-policy.ts';
import { AGENTS, FAMILY, GIVEN, MIDDLE, RANGES } from '../../local/generate-participants.ts';

/**
 * Every reminder SMS the sample can produce costs one segment: each template of each kind, step
 * and language, rendered over the generator's longest names, largest amounts and largest
 * households, on every day a step may be sent (its own day and the catch-up days after it), is at
 * most 160 GSM-7 septets (an extension-table character counts two).
 */

const policy = POLICY_VERSIONS.at(-1)!;
const r = policy.reminders;
/** The sample office's hotline (config/offices/sample.json). */
const office = { hotline: '19009068' };

/** GSM-7 septets, counted here on their own: the extension table's characters take an escape and count two. */
const septets = (text: string) => [...text].reduce((n, ch) => n + ('^{}\\[~]|€\f'.includes(ch) ? 2 : 1), 0);

const longest = (words: readonly string[]) => [...words].sort((a, b) => toGsm7(b).length - toGsm7(a).length)[0]!;
const longestName = `${longest(FAMILY)} ${longest(MIDDLE)} ${longest(GIVEN)}`;
const longestAgent = [...AGENTS].sort((a, b) => b.name.length - a.name.length)[0]!;
const paidThrough = '2026-11';

/** The largest amounts the generator can make: the highest chosen income, no State support, every method (years ahead included). */
const vsiDues: PaymentDue[] = (['monthly', 'quarterly', 'half-yearly', 'yearly', 'years-ahead'] as const).map((method) => vsiPaymentDue({
  paidThrough, method, yearsAhead: method === 'years-ahead' ? RANGES.yearsAhead : undefined, chosenIncome: RANGES.incomeMillions[1] * 1_000_000,
  supportGroup: 'other', supportMonthsUsed: 10_000,
}, r));
/** The largest household, for each method. */
const hiDues: PaymentDue[] = (['quarterly', 'half-yearly', 'yearly'] as const).map((method) => hiPaymentDue(Array.from({ length: RANGES.members[1] }, () => '2026-11-30'), method, r));

interface Case { label: string; sms: string; segments: number }

function render(policyR: RemindersPolicy, agent: { name: string; phone?: string | undefined }, name = longestName): Case[] {
  const cases: Case[] = [];
  for (const kind of ['vsi', 'hi'] as const) {
    for (const locale of ['vi', 'en'] as const) {
      for (const due of kind === 'vsi' ? vsiDues : hiDues) {
        for (const step of policyR.steps) {
          const on = addDays(due.coveredUntil, step.offsetDays);
          for (let late = 0; late <= policyR.catchUpDays; late++) {
            const recipient: ReminderRecipient = {
              kind, code: kind === 'vsi' ? '2799990001' : 'HGD99990001', name, locale, method: 'yearly', chosenIncome: RANGES.incomeMillions[1] * 1_000_000,
              members: RANGES.members[1], agentName: agent.name, agentPhone: agent.phone,
            };
            const m = renderReminder(recipient, step, due, addDays(on, late) as IsoDate, policyR, office);
            cases.push({ label: `${kind} ${locale} ${step.id} ${due.months} months, day +${late}`, sms: m.sms, segments: m.smsSegments });
          }
        }
      }
    }
  }
  return cases;
}

describe('reminder SMS: one segment', () => {
  it('the extremes are the generator\'s (a longer name or amount there must show here)', () => {
    expect(toGsm7(longestName).length).toBeGreaterThanOrEqual(18);
    expect(Math.max(...vsiDues.map((d) => d.amount))).toBe(RANGES.incomeMillions[1] * 1_000_000 * 0.22 * 12 * RANGES.yearsAhead);
    expect(vsiDues.every((d) => d.support === 0)).toBe(true);
  });

  it('every template, kind, language and step, sent on its day or a catch-up day, fits 160 GSM-7 characters with the full name and the agent', () => {
    const cases = render(r, longestAgent);
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) {
      expect(septets(c.sms), `${c.label}: ${c.sms}`).toBeLessThanOrEqual(160);
      expect(smsSegments(c.sms), c.label).toMatchObject({ encoding: 'GSM-7', units: septets(c.sms), segments: 1 });
      expect(c.segments).toBe(1);
      // The agent is named with their phone; nothing shortened the participant's name to fit.
      expect(c.sms, c.label).toContain(`${toGsm7(longestAgent.name)} ${longestAgent.phone}`);
      if (c.label.startsWith('vsi')) expect(c.sms, c.label).toContain(toGsm7(longestName));
    }
  });

  it('every SMS the sample district produces (data/sample/participants), each participant and household at every step, is one segment', () => {
    const read = (file: string) => parse(readFileSync(`data/sample/participants/${file}`, 'utf8'), { columns: true }) as Record<string, string>[];
    const agents = new Map(read('collection-agents.csv').map((a) => [a.officer_id!, { name: a.name!, phone: a.phone || undefined }]));
    const cards = read('hi-cards.csv');
    const payers: { recipient: ReminderRecipient; due: PaymentDue }[] = [
      ...read('participants.csv').map((p) => ({
        recipient: { kind: 'vsi' as const, code: p.si_code!, name: p.name!, locale: p.language === 'en' ? 'en' as const : 'vi' as const, method: p.payment_method, chosenIncome: Number(p.chosen_income), agentName: agents.get(p.agent_id!)!.name, agentPhone: agents.get(p.agent_id!)!.phone },
        due: vsiPaymentDue({ paidThrough: p.paid_through!, method: p.payment_method as 'monthly', yearsAhead: p.years_ahead ? Number(p.years_ahead) : undefined, chosenIncome: Number(p.chosen_income), supportGroup: p.support_group as 'other', supportMonthsUsed: Number(p.support_months_used || 0) }, r),
      })),
      ...read('households.csv').map((h) => {
        const expiries = cards.filter((c) => c.household_code === h.household_code).map((c) => c.expires_on as IsoDate);
        return {
          recipient: { kind: 'hi' as const, code: h.household_code!, name: h.head_name!, locale: h.language === 'en' ? 'en' as const : 'vi' as const, members: expiries.length, agentName: agents.get(h.agent_id!)!.name, agentPhone: agents.get(h.agent_id!)!.phone },
          due: hiPaymentDue(expiries, h.payment_method as 'yearly', r),
        };
      }),
    ];
    expect(payers.length).toBe(200);
    let sent = 0;
    for (const { recipient, due } of payers) {
      for (const step of r.steps) {
        const m = renderReminder(recipient, step, due, addDays(due.coveredUntil, step.offsetDays), r, office);
        expect(septets(m.sms), `${recipient.kind} ${step.id}: ${m.sms}`).toBeLessThanOrEqual(160);
        if (recipient.kind === 'vsi') expect(m.sms).toContain(toGsm7(recipient.name));
        sent++;
      }
    }
    expect(sent).toBe(payers.length * r.steps.length);
  });

  it('without an agent phone the hotline is told, never an agent name without a number', () => {
    for (const c of [...render(r, { name: longestAgent.name }), ...render(r, { name: '' })]) {
      expect(septets(c.sms), c.label).toBeLessThanOrEqual(160);
      expect(c.sms, c.label).toContain(office.hotline);
      expect(c.sms, c.label).not.toContain(toGsm7(longestAgent.name));
    }
  });

  it('STOP is offered only when the office has a two-way number to receive it, and still fits', () => {
    // Sent from the alphanumeric sender ID, which cannot be answered: no STOP without a reply number.
    expect(r.smsReplyNumber).toBeUndefined();
    for (const c of render(r, longestAgent)) expect(c.sms, c.label).not.toMatch(/STOP/);
    const twoWay = { ...r, smsReplyNumber: '8079' };
    for (const c of render(twoWay, longestAgent)) {
      expect(septets(c.sms), `${c.label}: ${c.sms}`).toBeLessThanOrEqual(160);
      expect(c.sms, c.label).toMatch(/STOP (gui|to) 8079$/);
      expect(c.sms, c.label).toContain(longestAgent.phone);
    }
  });

  it('English counts agree with their noun; Vietnamese ones have none to agree', () => {
    const one = vsiPaymentDue({ paidThrough, method: 'monthly', chosenIncome: 2_000_000, supportGroup: 'other', supportMonthsUsed: 10_000 }, r);
    const recipient: ReminderRecipient = { kind: 'vsi', code: '2799990001', name: 'Le An', locale: 'en', agentName: 'Le Thu Trang', agentPhone: '0915000103', members: 1 };
    const upcoming = r.steps.find((s) => s.template === 'upcoming')!;
    const lastCall = r.steps.find((s) => s.template === 'last-call')!;
    expect(renderReminder(recipient, upcoming, one, addDays(one.coveredUntil, upcoming.offsetDays), r, office).sms).toContain('(1 month)');
    const twelve = vsiDues.find((d) => d.months === 12)!;
    expect(renderReminder(recipient, upcoming, twelve, addDays(twelve.coveredUntil, upcoming.offsetDays), r, office).sms).toContain('(12 months)');
    const lastDay = renderReminder(recipient, lastCall, one, addDays(one.coveredUntil, -1), r, office);
    expect(lastDay.sms).toMatch(/^1 day left/);
    expect(lastDay.subject).toMatch(/^1 day left/);
    expect(renderReminder(recipient, lastCall, one, addDays(one.coveredUntil, -3), r, office).sms).toMatch(/^3 days left/);
    const hi = (members: number) => renderReminder({ ...recipient, kind: 'hi', members }, upcoming, hiPaymentDue(Array.from({ length: members }, () => '2026-11-30'), 'yearly', r), '2026-11-15', r, office);
    expect(hi(1).sms).toContain('(1 person)');
    expect(hi(2).sms).toContain('(2 people)');
    expect(hi(1).body).toContain('(1 person)');
    expect(renderReminder({ ...recipient, locale: 'vi' }, upcoming, one, '2026-11-15', r, office).sms).toContain('(1 thang)');
    expect(addMonths('2026-11', 1)).toBe('2026-12');
  });
});
