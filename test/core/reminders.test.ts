import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGsm7, smsSegments, toGsm7, unaccent } from '../../functions/core/sms.ts';
import { coveredUntilOf, hiMemberPremiums, hiPaymentDue, incomeProblem, ratesOn, vsiMonthlyPremium, vsiPaymentDue } from '../../functions/core/contribution.ts';
import { actionsOf, channelsFor, dueActions, firstReminderOn, inQuietHours, nextReminderOn, skippedSteps } from '../../functions/core/reminder-schedule.ts';
import { renderReminder } from '../../functions/core/reminder-notice.ts';
import { addDays, addMonths, daysInMonth, fromDayNumber, toDayNumber } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, policySchema } from '../../functions/core/policy.ts';
import { REMINDER_TEMPLATES, type ReminderStep } from '../../functions/core/reminder-policy.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const r = policy.reminders;
/** The sample office's hotline (config/offices/sample.json). */
const office = { hotline: '19009068' };
const step = (id: string) => r.steps.find((s) => s.id === id)!;
const VI_LETTERS = 'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ';
const viText = fc.array(fc.constantFrom(...[...VI_LETTERS, ...VI_LETTERS.toUpperCase(), ' ', ',', '.', '0', '9']), { maxLength: 200 }).map((a) => a.join(''));
const gsmBasic = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:-()'), { maxLength: 700 }).map((a) => a.join(''));
const date = fc.integer({ min: toDayNumber('2024-01-01'), max: toDayNumber('2032-12-31') }).map(fromDayNumber);

describe('SMS segments', () => {
  it('counts GSM-7 and UCS-2 messages at the boundaries', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
    // The extension table costs two septets, and an escape is never split between parts.
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
    expect(smsSegments(`${'a'.repeat(152)}€`).units).toBe(154);
    // One accent makes the whole message UCS-2.
    expect(smsSegments('Bảo hiểm')).toEqual({ encoding: 'UCS-2', units: 8, segments: 1 });
    expect(smsSegments('ệ'.repeat(70)).segments).toBe(1);
    expect(smsSegments('ệ'.repeat(71)).segments).toBe(2);
    expect(smsSegments('ệ'.repeat(134)).segments).toBe(2);
    expect(smsSegments('ệ'.repeat(135)).segments).toBe(3);
    expect(smsSegments('').segments).toBe(0);
  });

  it('property: plain GSM-7 text takes 1 segment up to 160, then ceil(n/153)', () => {
    fc.assert(fc.property(gsmBasic, (text) => {
      const n = text.length;
      expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', units: n, segments: n === 0 ? 0 : n <= 160 ? 1 : Math.ceil(n / 153) });
    }));
  });

  it('property: UCS-2 text takes 1 segment up to 70, then ceil(n/67) (no surrogate pairs)', () => {
    fc.assert(fc.property(viText.filter((t) => !isGsm7(t)), (text) => {
      const n = text.length;
      expect(smsSegments(text).segments).toBe(n <= 70 ? 1 : Math.ceil(n / 67));
    }));
  });

  it('unaccents Vietnamese to GSM-7, letter for letter', () => {
    expect(unaccent('Bảo hiểm xã hội Việt Nam – Đắk Lắk')).toBe('Bao hiem xa hoi Viet Nam – Dak Lak');
    expect(toGsm7('1.250.000 ₫ – “đóng”')).toBe('1.250.000 d - "dong"');
    fc.assert(fc.property(viText, (text) => {
      const plain = toGsm7(text.normalize('NFC'));
      expect(isGsm7(plain)).toBe(true);
      expect(plain.length).toBe(text.normalize('NFC').length);
      expect(toGsm7(plain)).toBe(plain);
      // Decomposed input gives the same text.
      expect(toGsm7(text.normalize('NFD'))).toBe(plain);
    }));
  });
});

describe('premiums', () => {
  const rates2026 = ratesOn(r.vsi.rates, '2026-03-01');
  it('VSI: 22% of the chosen income less the support on the poverty line, by group', () => {
    expect(rates2026.povertyLine).toBe(2_000_000);
    expect(vsiMonthlyPremium(2_000_000, 'poor', rates2026)).toEqual({ gross: 440_000, support: 220_000, net: 220_000 });
    expect(vsiMonthlyPremium(2_000_000, 'near-poor', rates2026)).toEqual({ gross: 440_000, support: 176_000, net: 264_000 });
    expect(vsiMonthlyPremium(2_000_000, 'ethnic-minority', rates2026)).toEqual({ gross: 440_000, support: 132_000, net: 308_000 });
    expect(vsiMonthlyPremium(5_000_000, 'other', rates2026)).toEqual({ gross: 1_100_000, support: 88_000, net: 1_012_000 });
    // The older regime: 30/25/10% of the premium on 1,500,000.
    expect(vsiMonthlyPremium(1_500_000, 'poor', ratesOn(r.vsi.rates, '2025-06-30'))).toEqual({ gross: 330_000, support: 99_000, net: 231_000 });
  });

  it('VSI: the next payment by method, support capped at 120 months, rates of the month it starts', () => {
    const base = { paidThrough: '2026-03', chosenIncome: 3_000_000, supportGroup: 'near-poor' as const, supportMonthsUsed: 0 };
    expect(vsiPaymentDue({ ...base, method: 'quarterly' }, r)).toEqual({ coveredUntil: '2026-03-31', months: 3, from: '2026-04', to: '2026-06', amount: 3 * (660_000 - 176_000), support: 3 * 176_000 });
    expect(vsiPaymentDue({ ...base, method: 'years-ahead', yearsAhead: 2 }, r).months).toBe(24);
    expect(vsiPaymentDue({ ...base, method: 'years-ahead', yearsAhead: 9 }, r).months).toBe(60);
    expect(vsiPaymentDue({ ...base, method: 'yearly', supportMonthsUsed: 115 }, r).support).toBe(5 * 176_000);
    expect(vsiPaymentDue({ ...base, method: 'monthly', supportMonthsUsed: 120 }, r)).toMatchObject({ amount: 660_000, support: 0 });
    // Paid through 2025-12: the next months are priced at the 2026 poverty line.
    expect(vsiPaymentDue({ ...base, paidThrough: '2025-12', method: 'monthly' }, r).support).toBe(176_000);
    expect(vsiPaymentDue({ ...base, paidThrough: '2025-11', method: 'monthly' }, r).support).toBe(132_000);
  });

  it('VSI: income between the poverty line and 20 base salaries', () => {
    expect(incomeProblem(1_999_999, '2026-01-01', r)).toMatch(/poverty line/);
    expect(incomeProblem(2_000_000, '2026-01-01', r)).toBeUndefined();
    expect(incomeProblem(1_500_000, '2025-12-31', r)).toBeUndefined();
    expect(incomeProblem(46_800_001, '2026-01-01', r)).toMatch(/20 times/);
  });

  it('household HI: 4.5% of the base salary, then 70/60/50/40%', () => {
    const rates = ratesOn(r.hi.rates, '2026-01-01');
    expect(hiMemberPremiums(6, rates)).toEqual([105_300, 73_710, 63_180, 52_650, 42_120, 42_120]);
    const due = hiPaymentDue(['2026-12-31', '2026-12-15', '2027-03-31'], 'half-yearly', r);
    expect(due).toEqual({ coveredUntil: '2026-12-15', months: 6, from: '2026-12', to: '2027-05', amount: 6 * (105_300 + 73_710 + 63_180), support: 0 });
  });

  it('property: the paid-through end is the last day of the month, whatever its length', () => {
    fc.assert(fc.property(fc.integer({ min: 2020 * 12, max: 2040 * 12 }), (index) => {
      const period = addMonths('2000-01', index - 2000 * 12);
      const end = coveredUntilOf(period);
      expect(end.slice(0, 7)).toBe(period);
      expect(Number(end.slice(8))).toBe(daysInMonth(Number(period.slice(0, 4)), Number(period.slice(5))));
      expect(addDays(end, 1).slice(0, 7)).toBe(addMonths(period, 1));
    }));
  });
});

describe('reminder schedule', () => {
  it('is the policy: 15 and 3 days before the end of cover, on lapse, 30 days after, then the agent', () => {
    expect(actionsOf('2026-11-30', r).map((a) => `${a.kind === 'step' ? a.step.id : 'agent'} ${a.date}`)).toEqual([
      'before-15 2026-11-15', 'before-3 2026-11-27', 'lapse 2026-12-01', 'after-30 2026-12-30', 'agent 2027-01-07',
    ]);
  });

  it('on a date, the latest step due within the catch-up window, and the agent task once its day has come', () => {
    const ids = (today: string) => dueActions('2026-11-30', today, r).map((a) => (a.kind === 'step' ? a.step.id : 'agent'));
    expect(ids('2026-11-14')).toEqual([]);
    expect(ids('2026-11-15')).toEqual(['before-15']);
    expect(ids('2026-11-20')).toEqual(['before-15']);
    expect(ids('2026-11-23')).toEqual([]);
    expect(ids('2026-11-28')).toEqual(['before-3']);
    expect(ids('2026-12-01')).toEqual(['lapse']);
    expect(ids('2027-01-07')).toEqual(['agent']);
    expect(ids('2027-06-01')).toEqual(['agent']);
  });

  it('next and first index dates', () => {
    expect(nextReminderOn('2026-11-30', '2026-11-15', r)).toBe('2026-11-27');
    expect(nextReminderOn('2026-11-30', '2027-01-07', r)).toBeUndefined();
    expect(firstReminderOn('2026-11-30', '2026-11-01', r)).toBe('2026-11-15');
    expect(firstReminderOn('2026-11-30', '2026-11-17', r)).toBe('2026-11-17');
    expect(firstReminderOn('2026-11-30', '2026-11-25', r)).toBe('2026-11-27');
    expect(firstReminderOn('2025-01-31', '2026-11-25', r)).toBe('2026-11-25');
  });

  it('property: every action is found by a run on its day, across month and year ends; a step only within catch-up days', () => {
    fc.assert(fc.property(date, date, (coveredUntil, today) => {
      const due = dueActions(coveredUntil, today, r);
      for (const a of due) {
        expect(a.date <= today).toBe(true);
        if (a.kind === 'step') expect(toDayNumber(today) - toDayNumber(a.date)).toBeLessThanOrEqual(r.catchUpDays);
      }
      for (const a of actionsOf(coveredUntil, r)) {
        expect(dueActions(coveredUntil, a.date, r)).toContainEqual(a);
      }
      const first = firstReminderOn(coveredUntil, today, r);
      if (first !== undefined) expect(first >= today).toBe(true);
      // Following the index from any day reaches every later action, in order.
      let at = first;
      const seen: string[] = [];
      while (at !== undefined) {
        seen.push(...dueActions(coveredUntil, at, r).map((a) => a.date).filter((d) => d >= (seen.at(-1) ?? '')));
        at = nextReminderOn(coveredUntil, at, r);
      }
      expect(seen).toEqual(expect.arrayContaining(actionsOf(coveredUntil, r).map((a) => a.date).filter((d) => d >= today)));
    }));
  });

  it('after missed runs: the current step is sent, overtaken and stale ones are counted as skipped', () => {
    const skipped = (indexedOn: string, today: string) => skippedSteps('2026-11-30', indexedOn, today, r).map((s) => s.id);
    // On time: nothing skipped.
    expect(skipped('2026-11-15', '2026-11-15')).toEqual([]);
    // A deferred SMS retried the next day: the same step, nothing skipped.
    expect(skipped('2026-11-27', '2026-11-28')).toEqual([]);
    // Five days without a run: 3-days-before overtaken by the lapse notice.
    expect(skipped('2026-11-27', '2026-12-01')).toEqual(['before-3']);
    // A month without a run: every step since is skipped (the latest is past the catch-up days).
    expect(skipped('2026-11-15', '2026-12-20')).toEqual(['before-15', 'before-3', 'lapse']);
    expect(dueActions('2026-11-30', '2026-12-20', r)).toEqual([]);
  });

  it('property: from any indexed day, each step up to today is either due or skipped, never both', () => {
    fc.assert(fc.property(date, fc.integer({ min: -60, max: 60 }), fc.integer({ min: 0, max: 120 }), (coveredUntil, from, outage) => {
      const indexedOn = addDays(coveredUntil, from);
      const today = addDays(indexedOn, outage);
      const due = dueActions(coveredUntil, today, r).flatMap((a) => (a.kind === 'step' ? [a.step.id] : []));
      const skipped = skippedSteps(coveredUntil, indexedOn, today, r).map((s) => s.id);
      const inRange = actionsOf(coveredUntil, r).flatMap((a) => (a.kind === 'step' && a.date >= indexedOn && a.date <= today ? [a.step.id] : []));
      expect(due.filter((id) => skipped.includes(id))).toEqual([]);
      expect([...new Set([...due.filter((id) => inRange.includes(id)), ...skipped])].sort()).toEqual([...inRange].sort());
    }));
  });

  it('channels: the preferred one, else the other; all that reach for an "all" step', () => {
    const preferred = step('before-15');
    const all = step('lapse');
    expect(channelsFor(preferred, { preferred: 'sms', sms: true, email: true })).toEqual(['sms']);
    expect(channelsFor(preferred, { preferred: 'sms', sms: false, email: true })).toEqual(['email']);
    expect(channelsFor(preferred, { preferred: 'email', sms: true, email: false })).toEqual(['sms']);
    expect(channelsFor(all, { preferred: 'email', sms: true, email: true })).toEqual(['sms', 'email']);
    expect(channelsFor(all, { preferred: 'email', sms: false, email: false })).toEqual([]);
  });

  it('quiet hours 21:00–07:00 local time, start included and end excluded', () => {
    const at = (local: string) => new Date(`${local}+07:00`);
    const quiet = (local: string) => inQuietHours(at(local), 'Asia/Ho_Chi_Minh', r);
    expect(quiet('2026-11-02T20:59:59')).toBe(false);
    expect(quiet('2026-11-02T21:00:00')).toBe(true);
    expect(quiet('2026-11-02T23:59:00')).toBe(true);
    expect(quiet('2026-11-03T00:00:00')).toBe(true);
    expect(quiet('2026-11-03T06:59:59')).toBe(true);
    expect(quiet('2026-11-03T07:00:00')).toBe(false);
    expect(quiet('2026-11-03T08:00:00')).toBe(false);
    fc.assert(fc.property(fc.integer({ min: 0, max: 24 * 60 - 1 }), (minute) => {
      const instant = new Date(Date.UTC(2026, 10, 2, 0, minute) - 7 * 3_600_000);
      expect(inQuietHours(instant, 'Asia/Ho_Chi_Minh', r)).toBe(minute >= 21 * 60 || minute < 7 * 60);
    }));
  });
});

describe('reminder texts', () => {
  const longName = 'Nguyễn Thị Hoàng Phương Thảo Ngọc Bích Trâm Anh';
  const recipient = { kind: 'vsi' as const, code: '2712345678', name: 'Nguyễn Văn Đức', locale: 'vi' as const, method: 'quarterly', chosenIncome: 3_000_000, agentName: 'Lê Thị Hà', agentPhone: '0912345678' };
  const due = vsiPaymentDue({ paidThrough: '2026-11', method: 'quarterly', chosenIncome: 3_000_000, supportGroup: 'poor', supportMonthsUsed: 0 }, r);

  it('the email carries the amount, the deadline and the masked code; the SMS the same, unaccented', () => {
    const m = renderReminder(recipient, step('before-15'), due, '2026-11-15', r, office);
    expect(m.subject).toContain('30/11/2026');
    expect(m.body).toContain('Nguyễn Văn Đức');
    expect(m.body).toContain('***5678');
    expect(m.body).not.toContain('2712345678');
    expect(m.body).toContain('1.320.000 ₫');
    expect(m.sms).toContain('Nguyen Van Duc');
    expect(m.sms).toContain('1.320.000 d');
    expect(m.sms).toContain('30/11/2026');
    expect(isGsm7(m.sms)).toBe(true);
    const lapsed = renderReminder(recipient, step('lapse'), due, '2026-12-01', r, office);
    expect(lapsed.deadline).toBe('2027-01-06');
    expect(lapsed.sms).toContain('01/12/2026');
  });

  it('every SMS template of both kinds and languages fits one or two GSM-7 segments, even with long names and large amounts', () => {
    const hiDue = hiPaymentDue(Array.from({ length: 12 }, () => '2026-11-30'), 'yearly', r);
    const bigDue = { ...due, amount: 99_999_999_999, months: 60 };
    for (const kind of ['vsi', 'hi'] as const) {
      for (const locale of ['vi', 'en'] as const) {
        for (const s of r.steps) {
          for (const name of ['An', 'Nguyễn Văn Đức', longName]) {
            const m = renderReminder({ ...recipient, kind, locale, name, members: 12, agentPhone: '+84912345678' }, s, kind === 'hi' ? hiDue : bigDue, '2026-11-27', r, office);
            const count = smsSegments(m.sms);
            expect(count.encoding, `${kind} ${locale} ${s.id}`).toBe('GSM-7');
            expect(count.segments, `${kind} ${locale} ${s.id}: ${m.sms}`).toBeLessThanOrEqual(2);
            expect(m.sms).toContain(m.deadline.slice(0, 4));
          }
        }
      }
    }
  });

  it('the policy refuses accented SMS templates, falling steps and rates out of order', () => {
    const base = structuredClone(policy);
    const bad = structuredClone(base);
    bad.reminders.templates.vsi.upcoming!.sms.vi = 'Nhắc đóng BHXH';
    expect(policySchema.safeParse(bad).success).toBe(false);
    const steps = structuredClone(base);
    steps.reminders.steps = [...steps.reminders.steps].reverse() as ReminderStep[];
    expect(policySchema.safeParse(steps).success).toBe(false);
    const rates = structuredClone(base);
    rates.reminders.vsi.rates = [...rates.reminders.vsi.rates].reverse();
    expect(policySchema.safeParse(rates).success).toBe(false);
    expect(policySchema.safeParse(base).success).toBe(true);
    for (const kind of ['vsi', 'hi'] as const) expect(Object.keys(r.templates[kind]).sort()).toEqual([...REMINDER_TEMPLATES].sort());
  });
});
