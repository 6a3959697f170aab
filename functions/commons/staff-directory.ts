import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand, ListUsersCommand, ListUsersInGroupCommand, UsernameExistsException, type CognitoIdentityProviderClient, type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROSTER_GROUPS, type DirectoryChange, type DirectoryUser } from '../core/roster-sync.ts';
import { STAFF_GROUPS, type StaffGroup } from '../core/staff-access.ts';
import { officerIdSchema } from './records.ts';
import { keys } from './table.ts';
import { ignoreConditionFailure, queryAll } from './dynamo-writes.ts';

/**
 * The staff directory: who may sign in, with which email, in which groups. Cognito's user pool in
 * AWS; locally a stand-in kept in the table (the local inbox's sign-in accepts only its enabled
 * users). The roster sync (steps/sync-staff.ts) reads its users and applies one change at a time.
 */
export interface StaffDirectory {
  /** Every user, with its groups among the roster's (core/roster-sync.ts ROSTER_GROUPS). */
  users(): Promise<DirectoryUser[]>;
  /** The managers who may sign in (enabled, in the `manager` group) and have an email: whom the monthly report is sent to. */
  managers(): Promise<{ username: string; email: string }[]>;
  apply(change: DirectoryChange): Promise<void>;
}

/** ListUsers and ListUsersInGroup return at most 60 a page. */
const PAGE = 60;

/** Cognito's user pool: username = officer id, the email verified (the roster is the office's word), a group per role. */
export class CognitoStaffDirectory implements StaffDirectory {
  constructor(private readonly cognito: () => CognitoIdentityProviderClient, private readonly userPoolId: string) {}

  async users(): Promise<DirectoryUser[]> {
    const users: UserType[] = [];
    let token: string | undefined;
    do {
      const page = await this.cognito().send(new ListUsersCommand({ UserPoolId: this.userPoolId, AttributesToGet: ['email'], Limit: PAGE, PaginationToken: token }));
      users.push(...(page.Users ?? []));
      token = page.PaginationToken;
    } while (token);
    // Group membership from the groups' side: one listing per role group, not a call per user.
    const groupsOf = new Map<string, StaffGroup[]>();
    for (const group of ROSTER_GROUPS) {
      let next: string | undefined;
      do {
        const page = await this.cognito().send(new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: group, Limit: PAGE, NextToken: next }));
        for (const u of page.Users ?? []) if (u.Username) groupsOf.set(u.Username, [...(groupsOf.get(u.Username) ?? []), group]);
        next = page.NextToken;
      } while (next);
    }
    return users.filter((u) => u.Username).map((u) => ({
      username: u.Username!,
      email: u.Attributes?.find((a) => a.Name === 'email')?.Value,
      enabled: u.Enabled !== false,
      invited: u.UserStatus === 'FORCE_CHANGE_PASSWORD',
      groups: groupsOf.get(u.Username!) ?? [],
    }));
  }

  async managers(): Promise<{ username: string; email: string }[]> {
    const out: { username: string; email: string }[] = [];
    let next: string | undefined;
    do {
      // The group's users come with their attributes and status: one listing, no call per user.
      const page = await this.cognito().send(new ListUsersInGroupCommand({ UserPoolId: this.userPoolId, GroupName: 'manager', Limit: PAGE, NextToken: next }));
      for (const u of page.Users ?? []) {
        const email = u.Attributes?.find((a) => a.Name === 'email')?.Value;
        if (u.Username && email && u.Enabled !== false) out.push({ username: u.Username, email });
      }
      next = page.NextToken;
    } while (next);
    return out.sort((a, b) => a.username.localeCompare(b.username));
  }

  async apply(change: DirectoryChange): Promise<void> {
    const pool = { UserPoolId: this.userPoolId, Username: change.username };
    const send = this.cognito().send.bind(this.cognito());
    switch (change.kind) {
      case 'create':
        try {
          // Cognito makes a temporary password and sends the pool's invitation email to the address.
          await send(new AdminCreateUserCommand({ ...pool, UserAttributes: verifiedEmail(change.email), DesiredDeliveryMediums: ['EMAIL'] }));
        } catch (error) {
          // Created by an earlier try that stopped before the group: the invitation went then.
          if (!(error instanceof UsernameExistsException)) throw error;
        }
        await send(new AdminAddUserToGroupCommand({ ...pool, GroupName: change.group }));
        return;
      case 'set-email':
        await send(new AdminUpdateUserAttributesCommand({ ...pool, UserAttributes: verifiedEmail(change.email) }));
        return;
      case 'resend-invitation':
        await send(new AdminCreateUserCommand({ ...pool, MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }));
        return;
      case 'add-to-group':
        await send(new AdminAddUserToGroupCommand({ ...pool, GroupName: change.group }));
        return;
      case 'remove-from-group':
        await send(new AdminRemoveUserFromGroupCommand({ ...pool, GroupName: change.group }));
        return;
      case 'enable':
        await send(new AdminEnableUserCommand(pool));
        return;
      case 'disable':
        // Disabling also revokes the user's refresh tokens: no new access token after this.
        await send(new AdminDisableUserCommand(pool));
        return;
    }
  }
}

/** The email as a verified sign-in alias: no verification code is sent for an address the office gave. */
const verifiedEmail = (email: string) => [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }];

const tableUserSchema = z.object({
  username: officerIdSchema,
  email: z.string().optional(),
  enabled: z.boolean(),
  invited: z.boolean(),
  groups: z.array(z.enum(STAFF_GROUPS)),
  invitations: z.number().int().min(0),
});

/**
 * LOCAL ONLY: the directory kept in the table (`DIRECTORY` / `USER#<username>`, one item
 * collection, read with one query), with Cognito's semantics as the sync uses them. An invitation
 * is counted on the user and, when a folder is given, written there as the text Cognito would send
 * (no password: there is none locally; the local sign-in page lists the directory's enabled users).
 */
export class TableStaffDirectory implements StaffDirectory {
  constructor(private readonly db: DynamoDBDocumentClient, private readonly tableName: string, private readonly invitationsDir?: string | undefined) {}

  async users(): Promise<DirectoryUser[]> {
    return (await this.all()).map(({ invitations: _n, groups, ...u }) => ({ ...u, groups: groups.filter((g) => ROSTER_GROUPS.includes(g)) }));
  }

  /** The enabled users with all their groups: whom the local sign-in accepts, with the groups a token would carry. */
  async enabledUsers(): Promise<{ username: string; groups: StaffGroup[] }[]> {
    return (await this.all()).filter((u) => u.enabled).map((u) => ({ username: u.username, groups: u.groups }));
  }

  async managers(): Promise<{ username: string; email: string }[]> {
    return (await this.all())
      .flatMap((u) => (u.enabled && u.email && u.groups.includes('manager') ? [{ username: u.username, email: u.email }] : []))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  private all() {
    return queryAll(this.db, {
      TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.staffUser('').pk }, ConsistentRead: true,
    }, (item) => tableUserSchema.parse(item));
  }

  async apply(change: DirectoryChange): Promise<void> {
    const key = keys.staffUser(change.username);
    const update = async (expression: string, values: Record<string, unknown>, names?: Record<string, string>) => {
      try {
        await this.db.send(new UpdateCommand({
          TableName: this.tableName, Key: key, UpdateExpression: expression, ExpressionAttributeValues: values, ExpressionAttributeNames: names,
          ConditionExpression: 'attribute_exists(pk)',
        }));
      } catch (error) {
        ignoreConditionFailure(error);
        throw new Error(`UserNotFoundException: no user ${change.username}`);
      }
    };
    switch (change.kind) {
      case 'create': {
        try {
          await this.db.send(new PutCommand({
            TableName: this.tableName, ConditionExpression: 'attribute_not_exists(pk)',
            Item: { ...key, username: change.username, email: change.email, enabled: true, invited: true, groups: [change.group], invitations: 1 },
          }));
        } catch (error) {
          ignoreConditionFailure(error);
          // As Cognito: an existing user is not created again; the group still follows.
          return this.apply({ kind: 'add-to-group', username: change.username, group: change.group });
        }
        await this.invite(change.username, change.email);
        return;
      }
      case 'set-email':
        return update('SET email = :e', { ':e': change.email });
      case 'resend-invitation': {
        await update('ADD invitations :one', { ':one': 1 });
        const user = (await this.users()).find((u) => u.username === change.username);
        if (user?.email) await this.invite(change.username, user.email);
        return;
      }
      case 'add-to-group':
      case 'remove-from-group': {
        const user = (await this.all()).find((u) => u.username === change.username);
        if (!user) throw new Error(`UserNotFoundException: no user ${change.username}`);
        const groups = change.kind === 'add-to-group' ? [...new Set([...user.groups, change.group])] : user.groups.filter((g) => g !== change.group);
        return update('SET #g = :g', { ':g': groups }, { '#g': 'groups' });
      }
      case 'enable':
        return update('SET enabled = :t', { ':t': true });
      case 'disable':
        return update('SET enabled = :f', { ':f': false });
    }
  }

  private async invite(username: string, email: string) {
    if (!this.invitationsDir) return;
    await mkdir(this.invitationsDir, { recursive: true });
    // What Cognito's invitation says (infra/constructs/staff-api.ts), without the temporary password.
    await writeFile(join(this.invitationsDir, `${username}.txt`), `To: ${email}\nSubject: ${INVITATION.subject}\n\n${INVITATION.body(username, '(local run: no password; choose your name on the sign-in page)')}\n`);
  }
}

/** The invitation's text, in Vietnamese with English: the user pool's (CDK) and the local stand-in's. */
export const INVITATION = {
  subject: 'Tài khoản hộp nhiệm vụ thu nợ BHXH (your arrears inbox account)',
  body: (username: string, password: string) => [
    `Tên đăng nhập (user name): ${username}`,
    `Mật khẩu tạm thời (temporary password): ${password}`,
    'Đăng nhập hộp nhiệm vụ, đổi mật khẩu và cài ứng dụng xác thực (MFA) trong 7 ngày.',
    '(Sign in to the staff inbox within 7 days, choose a password and set up an authenticator app.)',
  ].join('\n'),
};
