import { nationalPhone } from './phone.ts';
import type { IsoDate } from './dates.ts';
import { localDate } from './dates.ts';
import { displayDate, letterDate } from './display-dates.ts';
import { transferContentFor, type OfficeSettings } from './office.ts';
import type { LetterTexts } from './policy/letter-schema.ts';
import type { Period } from './dates.ts';
import { fill } from './template.ts';

/**
 * What makes a notice to an employer an official letter it can act on: who sends it (the office's
 * letterhead, its document number and date), how to pay (the office's accounts and the transfer
 * content with the unit's code), whom to call (the unit's officer when it has one, the office) and
 * who signs. The urging notice, the pre-disclosure notice and the monthly statement all take it.
 */

/** The officer who follows the unit up, as the employer is told of them. */
export interface ContactOfficer {
  name: string;
  /** Their work phone, when the roster has one. */
  phone?: string | undefined;
}

export interface Letter {
  office: OfficeSettings;
  /** The notice's document number (commons/ids.ts: one per message, the same on every retry). */
  number: string;
  /** When it is sent: the letter's date, and its PDF's creation date. */
  sentAt: Date;
  officer?: ContactOfficer | undefined;
}

/** The letter's blocks, filled, for the renderers (text, HTML, PDF). */
export interface LetterBlocks {
  /** Left of the letterhead: the agency above, the office, the document number. */
  agency: [string, string];
  number: string;
  /** Right of it: the national motto and the place and date. */
  motto: [string, string];
  dated: string;
  /** How to pay: a heading, one line per account, the transfer content. */
  payment: string[];
  /** Whom to call: the heading and the officer only when the unit is asked to act, then the office. */
  contact: string[];
  /** The signature block: the title (one line or more) and the name when the office gives one. */
  signature: { title: string[]; name?: string | undefined };
  /** The page label, `{{page}}` and `{{pages}}` still to fill. */
  pageLabel: string;
  sentAt: Date;
  sentOn: IsoDate;
}

export function letterBlocks(letter: Letter, unitCode: string, cycle: Period, locale: 'vi' | 'en', texts: LetterTexts, timeZone: string, asked: boolean): LetterBlocks {
  const { office } = letter;
  const sentOn = localDate(letter.sentAt, timeZone);
  const officeValues = { officeName: office.name[locale], officeAddress: office.address, officePhone: office.phone, officeWebsite: office.website };
  const officer = letter.officer;
  return {
    agency: [office.parentAgency[locale], office.name[locale]],
    number: fill(texts.number, { documentNumber: letter.number }),
    motto: texts.motto,
    dated: fill(texts.dated, { place: office.place, date: letterDate(sentOn, locale) }),
    payment: [
      texts.paymentHeading,
      ...office.bankAccounts.map((a) => fill(texts.account, { bank: a.bank, accountNumber: a.accountNumber, accountName: a.accountName })),
      fill(texts.transfer, { transferContent: transferContentFor(office, unitCode, cycle) }),
    ],
    contact: [
      ...(asked ? [texts.contactHeading] : []),
      ...(asked && officer
        ? [officer.phone ? fill(texts.officer, { officerName: officer.name, officerPhone: nationalPhone(officer.phone) }) : fill(texts.officerNoPhone, { officerName: officer.name })]
        : []),
      fill(texts.office, officeValues),
    ],
    signature: { title: office.signatory.title[locale].split('\n'), name: office.signatory.name },
    pageLabel: texts.page,
    sentAt: letter.sentAt,
    sentOn,
  };
}

/** The letter's fields for a template: `{{officeName}}`, `{{documentNumber}}`, `{{documentDate}}`, `{{paymentLines}}`, `{{contactLines}}`, ... */
export function letterValues(blocks: LetterBlocks, letter: Letter, locale: 'vi' | 'en', unitCode: string, cycle: Period): Record<string, string> {
  const { office } = letter;
  return {
    officeName: office.name[locale],
    parentAgency: office.parentAgency[locale],
    officeAddress: office.address,
    officePhone: office.phone,
    officeWebsite: office.website,
    documentNumber: letter.number,
    documentDate: displayDate(blocks.sentOn),
    documentDated: blocks.dated,
    transferContent: transferContentFor(office, unitCode, cycle),
    paymentLines: blocks.payment.join('\n'),
    contactLines: blocks.contact.join('\n'),
    signature: [...blocks.signature.title, ...(blocks.signature.name ? [blocks.signature.name] : [])].join('\n'),
  };
}
