import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand, AliasExistsException, CognitoIdentityProviderClient, ListUsersCommand, ListUsersInGroupCommand, type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { clock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import { keys } from '../../functions/commons/table.ts';
import type { Officer } from '../../functions/commons/records.ts';
import { handler } from '../../functions/handlers/roster-sync.ts';
import { context } from './fixtures.ts';

process.env.TABLE_NAME = 'arrears-test';
process.env.USER_POOL_ID = 'ap-southeast-1_TEST';
const db = mockClient(DynamoDBDocumentClient);
const cognito = mockClient(CognitoIdentityProviderClient);

const officer = (officerId: string, over: Partial<Officer> = {}): Officer => ({
  officerId, name: `Cán bộ ${officerId}`, email: `${officerId}@bhxh.example.vn`, district: 'Tam Điệp', communes: [], role: 'collector', active: true, ...over,
});
const cognitoUser = (username: string, over: Partial<UserType> = {}): UserType => ({
  Username: username, Enabled: true, UserStatus: 'CONFIRMED', Attributes: [{ Name: 'email', Value: `${username}@bhxh.example.vn` }], ...over,
});

/** The store holds these officers (the import wrote them); the pool these users, in these groups. */
function given(officers: Officer[], users: UserType[], groups: Partial<Record<'officer' | 'team-lead' | 'inspector', string[]>> = {}) {
  for (const o of officers) db.on(GetCommand, { Key: keys.officer(o.officerId) }).resolves({ Item: { ...keys.officer(o.officerId), ...o } });
  cognito.on(ListUsersCommand).resolves({ Users: users });
  for (const group of ['officer', 'team-lead', 'inspector'] as const) {
    cognito.on(ListUsersInGroupCommand, { GroupName: group }).resolves({ Users: (groups[group] ?? []).map((u) => ({ Username: u })) });
  }
}

/** The pool's calls other than its listings: every one of them changes something. */
const poolChanges = () => cognito.calls().map((c) => (c.args[0] as object).constructor.name).filter((n) => !n.startsWith('List'));

describe('roster-sync handler (Cognito)', () => {
  beforeEach(() => {
    db.reset();
    cognito.reset();
    clock.setNow(new Date('2026-11-02T08:00:00+07:00'));
    db.on(QueryCommand).resolves({ Items: [] });
  });

  it('creates each new officer with the invitation email, the email verified, in their role group', async () => {
    given([officer('cb.a'), officer('tl.b', { role: 'team-lead' })], []);
    const report = await handler({ officerIds: ['cb.a', 'tl.b'] }, context);
    expect(report.changes).toMatchObject({ create: 2 });
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, {
      UserPoolId: 'ap-southeast-1_TEST', Username: 'cb.a', DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [{ Name: 'email', Value: 'cb.a@bhxh.example.vn' }, { Name: 'email_verified', Value: 'true' }],
    });
    // No MessageAction: Cognito sends its invitation (SUPPRESS would send none).
    expect(cognito.commandCalls(AdminCreateUserCommand).every((c) => c.args[0].input.MessageAction === undefined)).toBe(true);
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { Username: 'cb.a', GroupName: 'officer' });
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { Username: 'tl.b', GroupName: 'team-lead' });
  });

  it('updates a changed email and moves a changed role to its group; invites again one who never signed in', async () => {
    given([officer('cb.a', { email: 'new.a@bhxh.example.vn', role: 'inspector' })], [cognitoUser('cb.a', { UserStatus: 'FORCE_CHANGE_PASSWORD' })], { officer: ['cb.a'] });
    await handler({ officerIds: ['cb.a'] }, context);
    expect(cognito).toHaveReceivedCommandWith(AdminUpdateUserAttributesCommand, {
      Username: 'cb.a', UserAttributes: [{ Name: 'email', Value: 'new.a@bhxh.example.vn' }, { Name: 'email_verified', Value: 'true' }],
    });
    expect(cognito).toHaveReceivedCommandWith(AdminCreateUserCommand, { Username: 'cb.a', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] });
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { Username: 'cb.a', GroupName: 'inspector' });
    expect(cognito).toHaveReceivedCommandWith(AdminRemoveUserFromGroupCommand, { Username: 'cb.a', GroupName: 'officer' });
  });

  it('disables an inactive officer and one no longer in the roster (never deletes), and marks the leaver inactive in the store', async () => {
    given([officer('cb.a', { active: false }), officer('cb.b'), officer('cb.gone')], [cognitoUser('cb.a'), cognitoUser('cb.b'), cognitoUser('cb.gone')], { officer: ['cb.a', 'cb.b', 'cb.gone'] });
    const report = await handler({ officerIds: ['cb.a', 'cb.b'] }, context);
    expect(cognito).toHaveReceivedCommandWith(AdminDisableUserCommand, { Username: 'cb.a' });
    expect(cognito).toHaveReceivedCommandWith(AdminDisableUserCommand, { Username: 'cb.gone' });
    expect(cognito).toHaveReceivedCommandTimes(AdminDisableUserCommand, 2);
    expect(cognito.calls().map((c) => c.args[0].constructor.name).filter((n) => /Delete/.test(n))).toEqual([]);
    expect(writtenOfficer('cb.gone')).toMatchObject({ active: false, role: 'collector' });
    expect(writtenOfficer('cb.a')).toBeUndefined();
    expect(report).toMatchObject({ markedInactive: 1, changes: { disable: 2 } });
  });

  it('enables a returning officer', async () => {
    given([officer('cb.a')], [cognitoUser('cb.a', { Enabled: false })], { officer: ['cb.a'] });
    await handler({ officerIds: ['cb.a'] }, context);
    expect(cognito).toHaveReceivedCommandWith(AdminEnableUserCommand, { Username: 'cb.a' });
  });

  it('makes no call that changes anything when the same roster is imported again', async () => {
    given([officer('cb.a'), officer('tl.b', { role: 'team-lead' }), officer('cb.c', { active: false })],
      [cognitoUser('cb.a'), cognitoUser('tl.b'), cognitoUser('cb.c', { Enabled: false }), cognitoUser('gd.manager')],
      { officer: ['cb.a', 'cb.c'], 'team-lead': ['tl.b'] });
    const report = await handler({ officerIds: ['cb.a', 'tl.b', 'cb.c'] }, context);
    expect(poolChanges()).toEqual([]);
    expect(db).toHaveReceivedCommandTimes(UpdateCommand, 0);
    expect(db).toHaveReceivedCommandTimes(PutCommand, 0);
    expect(report).toMatchObject({ users: 4, problems: [], markedInactive: 0, tasksMoved: 0 });
    expect(Object.values(report.changes).every((n) => n === 0)).toBe(true);
  });

  it('reads every page of the pool', async () => {
    given([officer('cb.a'), officer('cb.b')], []);
    cognito.on(ListUsersCommand).resolvesOnce({ Users: [cognitoUser('cb.a')], PaginationToken: 'p2' }).resolves({ Users: [cognitoUser('cb.b')] });
    cognito.on(ListUsersInGroupCommand, { GroupName: 'officer' }).resolvesOnce({ Users: [{ Username: 'cb.a' }], NextToken: 'g2' }).resolves({ Users: [{ Username: 'cb.b' }] });
    await handler({ officerIds: ['cb.a', 'cb.b'] }, context);
    expect(cognito).toHaveReceivedCommandWith(ListUsersCommand, { PaginationToken: 'p2' });
    expect(cognito).toHaveReceivedCommandWith(ListUsersInGroupCommand, { GroupName: 'officer', NextToken: 'g2' });
    expect(poolChanges()).toEqual([]);
  });

  it('reports a user Cognito refuses by its id and the error name, and goes on with the rest, without an email in the logs', async () => {
    given([officer('cb.a'), officer('cb.b')], []);
    cognito.on(AdminCreateUserCommand, { Username: 'cb.a' }).rejects(new AliasExistsException({ message: 'An account with the email cb.a@bhxh.example.vn already exists', $metadata: {} }));
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    try {
      const report = await handler({ officerIds: ['cb.a', 'cb.b'] }, context);
      expect(report.problems).toEqual([{ key: 'cb.a', reason: 'create refused by the directory (AliasExistsException)' }]);
      expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, { Username: 'cb.b', GroupName: 'officer' });
      expect(lines.join('\n')).toContain('staff directory synced');
      expect(JSON.stringify({ lines, report })).not.toContain('@bhxh.example.vn');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('disables nobody as a leaver when a refused row has no readable officer id', async () => {
    given([officer('cb.a')], [cognitoUser('cb.a'), cognitoUser('cb.other')], { officer: ['cb.a', 'cb.other'] });
    const report = await handler({ officerIds: ['cb.a'], unidentified: 1 }, context);
    expect(cognito).toHaveReceivedCommandTimes(AdminDisableUserCommand, 0);
    expect(report.problems).toEqual([{ key: 'cb.other', reason: expect.stringContaining('no readable officer_id') }]);
  });

  it('rejects a payload with an email where an officer id goes', async () => {
    await expect(handler({ officerIds: ['someone@bhxh.example.vn'] }, context)).rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'officerIds.0' }] });
  });
});

/** What an officer update wrote, attribute by attribute. */
function writtenOfficer(officerId: string): Record<string, unknown> | undefined {
  const call = db.commandCalls(UpdateCommand).find((c) => JSON.stringify(c.args[0].input.Key) === JSON.stringify(keys.officer(officerId)));
  if (!call) return undefined;
  const { ExpressionAttributeNames: names = {}, ExpressionAttributeValues: values = {} } = call.args[0].input;
  return Object.fromEntries(Object.entries(names).map(([alias, name]) => [name, values[`:v${alias.slice(2)}`]]));
}
