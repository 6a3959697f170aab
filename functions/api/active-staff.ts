import type { Officer } from '../commons/records.ts';
import type { Staff } from '../core/staff-access.ts';
import type { EdgeRefusal } from './edge.ts';

/**
 * A staff member the roster marks inactive (a leaver, or `active` false in officers.csv) is refused
 * on every request, whatever token they still hold. The roster sync disables their Cognito user,
 * which stops new tokens and refresh, but an access token issued before stays valid for up to its
 * hour (infra/constructs/staff-api.ts); the officer record is what the sync worked from, so the
 * refusal needs nothing else kept. A user with no officer record (none is made outside the roster)
 * is left to the access rules, which refuse what needs one.
 */
export async function inactiveStaffRefusal(
  officers: { getOfficer(officerId: string): Promise<Officer | undefined> },
  staff: Staff | undefined,
): Promise<EdgeRefusal | undefined> {
  if (!staff) return undefined;
  const officer = await officers.getOfficer(staff.staffId);
  if (officer?.active !== false) return undefined;
  return { status: 403, error: 'Forbidden', message: 'This staff account is no longer active: the roster marks the officer inactive' };
}
