import type { OfficerRole } from './policy.ts';
import type { StaffGroup } from './staff-access.ts';

/**
 * The staff directory (Cognito's user pool in AWS) kept in line with the imported roster
 * (officers.csv): which users to create, update, move between groups, enable and disable. Pure: the
 * step gathers the roster and the directory's users and applies the changes this returns, one by one.
 *
 * - An active officer has a user named by their officer id, enabled, with the roster's email, in
 *   exactly their role's group among the roster's groups (other groups, such as `manager`, are the
 *   administrators' and are left alone). A new user gets Cognito's invitation email.
 * - An inactive officer's user is disabled; so is a user the roster governs (named by an officer id
 *   it once held, or in a role group) whose officer is no longer in the file. Never deleted: the case
 *   history names officers by their id, and a returning officer gets the same account back.
 * - A row the import refused (a typo) changes nothing about its officer's user; when a refused row's
 *   officer id could not even be read, or the file loaded no officer at all, nobody is disabled as a
 *   leaver: any absent user might be that row's officer.
 * - Applying the changes and deciding again gives no change (idempotent): the same file imported
 *   twice makes no call that changes anything.
 */

/** The staff group each officer role signs in with (functions/core/staff-access.ts decides what a group may do). */
export const GROUP_OF_ROLE: Readonly<Record<OfficerRole, StaffGroup>> = {
  collector: 'officer', 'team-lead': 'team-lead', inspector: 'inspector', 'collection-agent': 'officer',
};

/** The groups the roster decides: a role's group. */
export const ROSTER_GROUPS: readonly StaffGroup[] = [...new Set(Object.values(GROUP_OF_ROLE))];

/** What the sync needs of an officer of the imported file. */
export interface RosterOfficer {
  officerId: string;
  email: string;
  role: OfficerRole;
  active: boolean;
}

export interface Roster {
  officers: readonly RosterOfficer[];
  /** Officer ids of the file's rows the import refused: their users are left as they are. */
  refused: readonly string[];
  /** Refused rows whose officer id could not be read (missing or malformed). */
  unidentified: number;
}

/** A user of the directory as the sync sees it. */
export interface DirectoryUser {
  username: string;
  email?: string | undefined;
  enabled: boolean;
  /** Invited and never signed in (Cognito's FORCE_CHANGE_PASSWORD): the invitation is still the way in. */
  invited: boolean;
  /** Its groups among ROSTER_GROUPS (others are not the sync's business). */
  groups: readonly StaffGroup[];
}

export type DirectoryChange =
  /** A new user with the invitation email, in the role's group. */
  | { kind: 'create'; username: string; email: string; group: StaffGroup }
  | { kind: 'set-email'; username: string; email: string }
  /** The invitation again (to the new address): the user never signed in and their email changed. */
  | { kind: 'resend-invitation'; username: string }
  | { kind: 'add-to-group'; username: string; group: StaffGroup }
  | { kind: 'remove-from-group'; username: string; group: StaffGroup }
  | { kind: 'enable'; username: string }
  | { kind: 'disable'; username: string; because: 'inactive' | 'left' };

export type ChangeKind = DirectoryChange['kind'];

export interface SyncPlan {
  changes: DirectoryChange[];
  /** Roster rows not applied, and leavers not disabled, with why (keys are officer ids, never emails). */
  skipped: { key: string; reason: string }[];
  /** Officers whose open tasks go to active colleagues: inactive in the file, or no longer in it. */
  handOver: { officerId: string; because: 'inactive' | 'left' }[];
}

/** Cognito compares user names and email aliases without case in this pool (signInCaseSensitive: false). */
const fold = (s: string) => s.toLowerCase();

export function planDirectorySync(roster: Roster, users: readonly DirectoryUser[]): SyncPlan {
  const changes: DirectoryChange[] = [];
  const skipped: SyncPlan['skipped'] = [];
  const handOver: SyncPlan['handOver'] = [];
  const byName = new Map(users.map((u) => [fold(u.username), u]));
  const refused = new Set(roster.refused.map(fold));

  // One user per officer id and one per email (an email is a sign-in alias: Cognito refuses a second).
  const officers: RosterOfficer[] = [];
  const seenIds = new Map<string, string>();
  const seenEmails = new Map<string, string>();
  for (const o of roster.officers) {
    const id = fold(o.officerId);
    const sameId = seenIds.get(id);
    if (sameId !== undefined || refused.has(id)) {
      skipped.push({ key: o.officerId, reason: sameId !== undefined ? `signs in with the same name as ${sameId} (user names ignore case); not synced` : 'another row of this officer was refused; not synced' });
      continue;
    }
    seenIds.set(id, o.officerId);
    if (o.active) {
      const sameEmail = seenEmails.get(fold(o.email));
      if (sameEmail !== undefined) {
        skipped.push({ key: o.officerId, reason: `email is also ${sameEmail}'s (each person signs in with their own); not synced` });
        continue;
      }
      seenEmails.set(fold(o.email), o.officerId);
    }
    officers.push(o);
  }

  for (const o of officers) {
    const user = byName.get(fold(o.officerId));
    if (!o.active) {
      handOver.push({ officerId: o.officerId, because: 'inactive' });
      if (user?.enabled) changes.push({ kind: 'disable', username: user.username, because: 'inactive' });
      continue;
    }
    const group = GROUP_OF_ROLE[o.role];
    if (!user) {
      changes.push({ kind: 'create', username: o.officerId, email: o.email, group });
      continue;
    }
    const username = user.username;
    if (!user.enabled) changes.push({ kind: 'enable', username });
    if (user.email !== o.email) {
      changes.push({ kind: 'set-email', username, email: o.email });
      if (user.invited) changes.push({ kind: 'resend-invitation', username });
    }
    if (!user.groups.includes(group)) changes.push({ kind: 'add-to-group', username, group });
    for (const other of user.groups) if (other !== group) changes.push({ kind: 'remove-from-group', username, group: other });
  }

  // Users the roster governs whose officer is not in the file: leavers.
  const inFile = new Set([...seenIds.keys(), ...refused]);
  const leavers = users.filter((u) => !inFile.has(fold(u.username)) && u.groups.some((g) => ROSTER_GROUPS.includes(g)));
  const unsure = roster.unidentified > 0
    ? `not disabled: ${roster.unidentified} refused row(s) of the roster have no readable officer_id, and this could be one`
    : roster.officers.length === 0 && roster.refused.length === 0 ? 'not disabled: the roster loaded no officer (an empty or unreadable file is not everyone leaving)' : undefined;
  for (const u of [...leavers].sort((a, b) => (a.username < b.username ? -1 : 1))) {
    if (unsure) {
      skipped.push({ key: u.username, reason: unsure });
      continue;
    }
    handOver.push({ officerId: u.username, because: 'left' });
    if (u.enabled) changes.push({ kind: 'disable', username: u.username, because: 'left' });
  }
  return { changes, skipped, handOver };
}
