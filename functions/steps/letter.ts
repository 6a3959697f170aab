import { ids, type DocumentKind } from '../commons/ids.ts';
import type { Ports } from '../commons/deps.ts';
import type { CaseRecord } from '../commons/records.ts';
import type { ContactOfficer, Letter } from '../core/letter.ts';

/** Officers already looked up in this invocation (a statement run names the same few for every unit). */
export type OfficerCache = Map<string, ContactOfficer | undefined>;

/**
 * The officer an employer is told to call: the inspector once the case is at inspection, else the
 * collector who follows the unit up (the unit keeps its officer across months); only an active one.
 */
export async function contactOfficer(deps: Ports<'officers'>, current: CaseRecord | undefined, cache?: OfficerCache): Promise<ContactOfficer | undefined> {
  const officerId = current?.stage === 'inspection' && current.inspectorId ? current.inspectorId : current?.officerId;
  if (!officerId) return undefined;
  if (cache?.has(officerId)) return cache.get(officerId);
  const officer = await deps.officers.getOfficer(officerId);
  const contact = officer?.active ? { name: officer.name, phone: officer.phone } : undefined;
  cache?.set(officerId, contact);
  return contact;
}

/** The office's letter for a notice sent now: its number (ids.ts, from the notice's identity) and send time. */
export function letterFor(deps: Ports<'office' | 'clock'>, notice: { kind: DocumentKind; unitCode: string; cycle: string }, officer: ContactOfficer | undefined): Letter {
  return { office: deps.office, number: ids.document(notice, deps.office.documentCode), sentAt: deps.clock.now(), officer };
}
