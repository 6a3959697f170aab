import { ids, type DocumentKind } from '../../functions/commons/ids.ts';
import type { ContactOfficer, Letter } from '../../functions/core/letter.ts';
import { loadOffice } from '../../infra/office-config.ts';

/** The sample office's settings, as the functions get them. */
export const office = loadOffice();
/** The run's send time in the tests: 2026-11-02 09:00 in the office's zone. */
export const SENT_AT = new Date('2026-11-02T09:00:00+07:00');
export const OFFICER: ContactOfficer = { name: 'Phạm Ngọc Long', phone: '0912345678' };

/** The letter a notice of `kind` to `unitCode` gets in the tests: the sample office, its number, an officer with a phone. */
export function letterOf(kind: DocumentKind, unitCode: string, cycle = '2026-11', change: Partial<Letter> = {}): Letter {
  return { office, number: ids.document({ kind, unitCode, cycle }, office.documentCode), sentAt: SENT_AT, officer: OFFICER, ...change };
}
