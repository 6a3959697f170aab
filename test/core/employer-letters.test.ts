import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { addDays, addMonths } from '../../functions/core/dates.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { renderPaymentConfirmation, renderPreDisclosureNotice, renderUrgingNotice } from '../../functions/core/notice.ts';
import { buildStatement, renderStatement, statementText } from '../../functions/core/statement.ts';
import { displayDate, displayMonth, letterDate, STORED_DATE } from '../../functions/core/display-dates.ts';
import { transferContentFor, TRANSFER_MAX_LENGTH, type OfficeSettings } from '../../functions/core/office.ts';
import { cycleOf } from '../../functions/core/escalation.ts';
import { ids, DOCUMENT_KINDS, type DocumentKind } from '../../functions/commons/ids.ts';
import { escapeHtml } from '../../functions/commons/html.ts';
import { statementHtml } from '../../functions/report/statement-html.ts';
import type { ContactOfficer, Letter } from '../../functions/core/letter.ts';
import { loadOffice } from '../../infra/office-config.ts';

/**
 * Every text an employer gets (urging notice, pre-disclosure notice, statement as text, HTML and
 * its document, payment confirmation), rendered over random ledgers, dates, both locales, two
 * offices and officers with and without a phone: it says how to pay and whom to call, carries its
 * number, and never writes a date the stored way.
 */

const policy = POLICY_VERSIONS.at(-1)!;
const OFFICES: OfficeSettings[] = [loadOffice(), loadOffice('test/fixtures/offices/second-province.json')];

const unitCode = fc.stringMatching(/^[A-Z0-9]{4,12}$/);
const runDate = fc.integer({ min: 0, max: 3 * 365 }).map((d) => addDays('2026-01-01', d));
const officer: fc.Arbitrary<ContactOfficer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ name: fc.constantFrom('Phạm Ngọc Long', 'Nguyễn Thu Lan'), phone: fc.option(fc.stringMatching(/^0\d{9}$/), { nil: undefined }) }),
);
/** Up to 30 months of periods ending before the run, each paid in full, in part, or not at all. */
const ledger = fc.array(fc.record({ amountDue: fc.integer({ min: 0, max: 900_000_000 }), paid: fc.constantFrom(0, 0.5, 1) }), { maxLength: 30 });

interface Case { unitCode: string; today: string; locale: 'vi' | 'en'; officer: ContactOfficer | undefined; office: OfficeSettings; periods: { amountDue: number; paid: number }[] }
const cases: fc.Arbitrary<Case> = fc.record({
  unitCode, today: runDate, locale: fc.constantFrom('vi' as const, 'en' as const), officer, office: fc.constantFrom(...OFFICES), periods: ledger,
});

function world(c: Case) {
  const first = addMonths(cycleOf(c.today), -c.periods.length - 1);
  const periods = c.periods.map((p, i) => ({ period: addMonths(first, i), amountDue: p.amountDue, dueDate: deadlineOf(addMonths(first, i), policy) }));
  const payments = periods.flatMap((p, i) => (c.periods[i]!.paid && p.amountDue ? [{ reference: `P${i}`, paidOn: p.dueDate, amount: Math.ceil(p.amountDue * c.periods[i]!.paid) }] : []));
  const status = ledgerStatus(periods, payments, c.today, policy);
  const recipient = { unitCode: c.unitCode, name: 'Công ty TNHH <A&B>', taxCode: '2700123456', locale: c.locale };
  const cycle = cycleOf(c.today);
  const letter = (kind: DocumentKind): Letter => ({ office: c.office, number: ids.document({ kind, unitCode: c.unitCode, cycle }, c.office.documentCode), sentAt: new Date(`${c.today}T09:00:00+07:00`), officer: c.officer });
  return { status, recipient, cycle, letter };
}

/** What every text that asks a unit to pay must say: how, to whom, under which number and date. */
function expectActionable(text: string, c: Case, number: string, asked: boolean) {
  for (const a of c.office.bankAccounts) {
    expect(text).toContain(a.accountNumber);
    expect(text).toContain(a.bank);
    expect(text).toContain(a.accountName);
  }
  expect(text).toContain(transferContentFor(c.office, c.unitCode, cycleOf(c.today)));
  expect(text).toContain(c.office.phone);
  expect(text).toContain(c.office.address);
  expect(text).toContain(number);
  if (asked && c.officer) expect(text).toContain(c.officer.name);
  if (asked && c.officer?.phone) expect(text).toContain(c.officer.phone);
  if (!asked || !c.officer) expect(text).not.toContain('Phạm Ngọc Long');
}

const noStoredDate = (label: string, text: string) => expect(text, `${label}: ${text.match(STORED_DATE)?.[0]}`).not.toMatch(STORED_DATE);

describe('notices and statements employers can act on', () => {
  it('every employer-facing text gives the accounts, the transfer content with the unit code, the office, the officer and their phone when assigned, and its number; no date is written the stored way (property)', () => {
    fc.assert(fc.property(cases, fc.integer({ min: 0, max: policy.stages.length - 1 }), fc.boolean(), (c, stageIndex, missed) => {
      const { status, recipient, cycle, letter } = world(c);
      const statementLetter = letter('statement');
      const doc = renderStatement(recipient, buildStatement(c.unitCode, status, cycle, policy), policy, statementLetter);
      const owes = status.debt > 0;
      const text = statementText(doc);
      const page = statementHtml(doc);
      noStoredDate('statement text', `${doc.subject}\n${text}`);
      noStoredDate('statement HTML', page);
      expectActionable(text, c, statementLetter.number, owes);
      for (const a of c.office.bankAccounts) expect(page).toContain(escapeHtml(a.accountName));
      expect(page).toContain(escapeHtml(transferContentFor(c.office, c.unitCode, cycle)));
      expect(text).toContain(c.office.parentAgency[c.locale]);
      expect(text).toContain(doc.letter.motto[0]);
      expect(doc.letter.dated).toBe(`${c.office.place}, ${letterDate(c.today, c.locale)}`);
      // A unit that owes nothing is not asked to call the office, nor given a date to act by.
      const ask = policy.letter[c.locale].contactHeading;
      if (owes) expect(text).toContain(ask);
      else {
        expect(text).not.toContain(ask);
        const t = policy.statement.templates[c.locale];
        for (const line of [...t.summary.filter((l) => l.when === 'debt').map((l) => l.label), ...t.footer.filter((l) => l.when === 'debt').map((l) => l.text)]) {
          expect(text).not.toContain(line.split('{{')[0]);
        }
      }

      if (owes) {
        const urging = renderUrgingNotice(recipient, status, policy.stages[stageIndex]!, c.today, policy, letter('urging'),
          missed ? { kind: 'plan', instalment: 2, dueDate: addDays(c.today, -20) } : undefined);
        noStoredDate('urging notice', `${urging.subject}\n${urging.body}`);
        expectActionable(urging.body, c, letter('urging').number, true);
        expect(urging.body).toContain(displayDate(urging.payBy));
        const pre = renderPreDisclosureNotice(recipient, status, addDays(c.today, 15), policy, letter('pre-disclosure'));
        noStoredDate('pre-disclosure notice', `${pre.subject}\n${pre.body}`);
        expectActionable(pre.body, c, letter('pre-disclosure').number, true);
      }
      const confirmation = renderPaymentConfirmation(recipient, { reference: 'UNC-1', paidOn: c.today, amount: 1_000 }, status, policy);
      noStoredDate('payment confirmation', `${confirmation.subject}\n${confirmation.body}`);
    }), { numRuns: 150 });
  });

  it('no template of the policy writes a date the stored way, and the Vietnamese wording says "chậm nhất ngày"', () => {
    const texts = JSON.stringify({ notice: policy.notice, disclosure: policy.disclosure, statement: policy.statement, letter: policy.letter, arrangements: policy.arrangements, reminders: policy.reminders.templates });
    expect(texts).not.toMatch(STORED_DATE);
    expect(texts).not.toContain('trước hết ngày');
    expect(policy.notice.templates.vi.body).toContain('chậm nhất ngày {{payBy}}');
    expect(policy.disclosure.templates.vi.body).toContain('chậm nhất ngày {{payBy}}');
  });

  it('writes dates and months as people do', () => {
    expect(displayDate('2026-11-02')).toBe('02/11/2026');
    expect(displayMonth('2026-11', 'vi')).toBe('tháng 11/2026');
    expect(displayMonth('2026-11', 'en')).toBe('November 2026');
    expect(letterDate('2026-11-02', 'vi')).toBe('ngày 02 tháng 11 năm 2026');
    expect(letterDate('2026-11-02', 'en')).toBe('2 November 2026');
  });
});

describe('document numbers (commons/ids.ts)', () => {
  it('one per notice: the same on every retry, never shared by two notices (property)', () => {
    const notice = fc.record({ kind: fc.constantFrom(...(Object.keys(DOCUMENT_KINDS) as DocumentKind[])), unitCode, cycle: runDate.map(cycleOf) });
    fc.assert(fc.property(notice, notice, (a, b) => {
      const same = a.kind === b.kind && a.unitCode === b.unitCode && a.cycle === b.cycle;
      expect(ids.document(a, 'BHXH-TD') === ids.document(b, 'BHXH-TD')).toBe(same);
      expect(ids.document(a, 'BHXH-TD')).toMatch(/^\d{4}\.(DD|KQ|CK)\.[A-Z0-9]{4,12}\/TB-BHXH-TD$/);
    }), { numRuns: 500 });
    expect(ids.document({ kind: 'urging', unitCode: 'TD000006', cycle: '2026-11' }, 'BHXH-TD')).toBe('1126.DD.TD000006/TB-BHXH-TD');
  });
});

describe('transfer content', () => {
  it('names the unit and the month, within what every bank keeps, for any unit code and month (property)', () => {
    fc.assert(fc.property(fc.constantFrom(...OFFICES), unitCode, runDate.map(cycleOf), (office, code, cycle) => {
      const content = transferContentFor(office, code, cycle);
      expect(content).toContain(code);
      expect(content).toContain(cycle.slice(5, 7));
      expect(content).toContain(cycle.slice(0, 4));
      expect(content.length).toBeLessThanOrEqual(TRANSFER_MAX_LENGTH);
      expect(content).toMatch(/^[A-Za-z0-9 .,/_-]+$/);
    }));
  });
});
