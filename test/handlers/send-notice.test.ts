import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { clock } from '../../functions/commons/clock.ts';
import { logger } from '../../functions/commons/logger.ts';
import { handler } from '../../functions/handlers/send-notice.ts';
import { context, employer, paymentItem, periodItem, PERSONAL, profileItem } from './fixtures.ts';
import { keys } from '../../functions/commons/table.ts';
import { ids } from '../../functions/commons/ids.ts';
import { STORED_DATE } from '../../functions/core/display-dates.ts';
import { office } from '../support/letter.ts';

process.env.TABLE_NAME = 'arrears-test';
const db = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const input = { unitCode: employer.unitCode, cycle: '2026-11', asOf: '2026-11-02' };
const ledger = [profileItem(), periodItem(employer.unitCode, '2026-08', 20_000_000), periodItem(employer.unitCode, '2026-09', 20_000_000)];

describe('send-notice handler', () => {
  beforeEach(() => {
    db.reset();
    ses.reset();
    clock.setNow(new Date('2026-11-02T06:00:00+07:00'));
    ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
  });

  it('claims the notice, sends it to the unit and records the send', async () => {
    db.on(QueryCommand).resolves({ Items: ledger });
    const result = await handler(input, context);
    expect(result).toEqual({ outcome: 'sent', messageId: 'msg-1' });
    expect(db).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: expect.stringContaining('attribute_not_exists(pk)') });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    const email = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(email.Destination?.ToAddresses).toEqual([employer.email]);
    expect(email.Message?.Subject?.Data).toContain(employer.unitCode);
    expect(email.Message?.Body?.Text?.Data).toContain('Kỳ 08/2026');
    expect(db).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':v0': 'sent' }) });
  });

  it('tells the unit how to pay and whom to call: the office\'s accounts, the transfer content with its code, its officer and their phone, the notice\'s number and date', async () => {
    const officer = { officerId: 'cb.pham.long.101', name: 'Phạm Ngọc Long', email: 'cb.pham.long.101@bhxh.example.vn', district: 'Tam Điệp', communes: ['Bắc Sơn'], role: 'collector', active: true, phone: '0912345678' };
    const openCase = {
      ...keys.case(employer.unitCode), unitCode: employer.unitCode, status: 'open', stage: 'officer-visit', anchorPeriod: '2026-08', monthsOverdue: 2, debt: 40_000_000,
      officerId: officer.officerId, cycle: '2026-11', openedOn: '2026-10-02', updatedAt: '2026-11-02T06:00:00+07:00',
    };
    db.on(QueryCommand).resolves({ Items: [...ledger, openCase] });
    db.on(GetCommand, { Key: keys.officer(officer.officerId) }).resolves({ Item: { ...keys.officer(officer.officerId), ...officer } });
    await handler(input, context);
    const body = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Message!.Body!.Text!.Data!;
    expect(body).toContain(`Số: ${ids.document({ kind: 'urging', unitCode: employer.unitCode, cycle: '2026-11' }, office.documentCode)}, ngày 02/11/2026`);
    expect(body).toContain('Số: 1126.DD.TA0012345/TB-BHXH-TD');
    for (const account of office.bankAccounts) expect(body).toContain(`Số tài khoản ${account.accountNumber}, tên tài khoản ${account.accountName}, tại ${account.bank}`);
    expect(body).toContain('Nội dung chuyển khoản (ghi đúng để số tiền được ghi nhận cho đơn vị): BHXH TA0012345 nop tien T11/2026');
    expect(body).toContain('Cán bộ phụ trách đơn vị: Phạm Ngọc Long, điện thoại 0912345678');
    expect(body).toContain(`${office.name.vi}, ${office.address}; điện thoại ${office.phone}; ${office.website}`);
    expect(body).toContain('chậm nhất ngày 17/11/2026');
    expect(body).not.toMatch(STORED_DATE);
  });

  it('sends nothing when the notice of this cycle was already sent', async () => {
    db.on(PutCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    db.on(GetCommand).resolves({ Item: { unitCode: employer.unitCode, cycle: '2026-11', kind: 'urging', status: 'sent', claimedAt: 'x' } });
    expect(await handler(input, context)).toEqual({ outcome: 'already-sent' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('fails with NoticeInProgress while another worker holds a fresh claim', async () => {
    db.on(PutCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    db.on(GetCommand).resolves({ Item: { unitCode: employer.unitCode, cycle: '2026-11', kind: 'urging', status: 'claimed', claimedAt: 'x' } });
    await expect(handler(input, context)).rejects.toMatchObject({ name: 'NoticeInProgress' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('does not send to a unit that paid since the run read its ledger', async () => {
    db.on(QueryCommand).resolves({ Items: [...ledger, paymentItem(employer.unitCode, 'UNC-1', '2026-11-01', 40_500_000)] });
    expect(await handler(input, context)).toEqual({ outcome: 'not-needed' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('on an SES refusal settles the claim as refused (not sent again) and fails without the address in the error', async () => {
    db.on(QueryCommand).resolves({ Items: ledger });
    ses.on(SendEmailCommand).rejects(Object.assign(new Error(`Email address is not verified: ${employer.email}`), { name: 'MessageRejected' }));
    const error = await handler(input, context).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'NoticeDeliveryFailed', sesError: 'MessageRejected' });
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain(employer.email);
    expect(db).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: { ':v0': 'failed-permanent', ':v1': 'MessageRejected' } });
  });

  it('on an SES outage releases the claim for the retry and the redrive', async () => {
    db.on(QueryCommand).resolves({ Items: ledger });
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
    await expect(handler(input, context)).rejects.toMatchObject({ name: 'NoticeDeliveryFailed', sesError: 'ServiceUnavailable' });
    expect(db).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: { ':v0': 'failed', ':v1': 'ServiceUnavailable' } });
  });

  it('rejects a malformed payload naming the field', async () => {
    await expect(handler({ ...input, cycle: '2026-13' }, context)).rejects.toMatchObject({ name: 'InvalidInput', issues: [{ field: 'cycle', reason: expect.stringContaining('YYYY-MM') }] });
  });

  it('never writes names, addresses, phones or tax codes to the logs', async () => {
    // Everything handed to the logger, whatever the level (Powertools sets it per invocation from the environment).
    const lines: string[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((m) => vi.spyOn(logger, m).mockImplementation((...args: unknown[]) => { lines.push(JSON.stringify(args)); }));
    try {
      db.on(QueryCommand).resolves({ Items: ledger });
      await handler(input, context);
      const written = lines.join('\n');
      // The check is only worth something if the send was logged at all.
      expect(written).toContain('Urging notice sent');
      for (const value of PERSONAL) expect(written).not.toContain(value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
