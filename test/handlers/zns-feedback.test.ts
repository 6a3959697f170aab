import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { keys } from '../../functions/commons/table.ts';
import { logger } from '../../functions/commons/logger.ts';
import { FolderZnsSender, settlePendingZns } from '../../functions/commons/zns-sender.ts';
import { znsReceivedEvent, znsSignatureValid, znsWebhookMac } from '../../functions/commons/zns-webhook.ts';
import { handler } from '../../functions/handlers/zns-feedback.ts';
import { context } from './fixtures.ts';

/**
 * Zalo's webhook: a signed `user_received_message` makes the attempt with its tracking id
 * `accepted` (the evidence that settles a claim whose worker died after Zalo took the message);
 * an unsigned or foreign call changes nothing.
 */
const APP = '1234567890123456789';
const SECRET = 'oa-secret-key-of-the-office';
const db = mockClient(DynamoDBDocumentClient);
const ssm = mockClient(SSMClient);
const trackingId = 'b'.repeat(32);
const event = znsReceivedEvent(APP, 'zalo-msg-7', trackingId, new Date('2026-11-15T01:00:05Z'));
const call = (body: string, mac: string | undefined = znsWebhookMac(APP, body, (JSON.parse(body) as { timestamp: string }).timestamp, SECRET)) => ({
  version: '2.0', rawPath: '/zalo/events', isBase64Encoded: false, body,
  headers: { 'content-type': 'application/json', ...(mac ? { 'x-zevent-signature': `mac=${mac}` } : {}) },
});
const statusOf = async (e: unknown) => ((await handler(e, context)) as { statusCode: number }).statusCode;

describe('the zns-feedback handler (Zalo webhook)', () => {
  beforeEach(() => {
    db.reset();
    ssm.reset();
    db.on(UpdateCommand).resolves({});
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/arrears/zalo/oa-secret-key', Type: 'SecureString', Value: SECRET } });
    Object.assign(process.env, { TABLE_NAME: 'arrears-test', ZNS_APP_ID: APP, ZNS_WEBHOOK_SECRET_PARAMETER: '/arrears/zalo/oa-secret-key' });
    delete process.env.LOCAL_ZNS_WEBHOOK_SECRET;
  });
  afterEach(() => { delete process.env.ZNS_APP_ID; delete process.env.ZNS_WEBHOOK_SECRET_PARAMETER; });

  it('a signed received event makes its attempt accepted, with the message id and when', async () => {
    expect(await statusOf(call(JSON.stringify(event)))).toBe(200);
    const [update] = db.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(update).toMatchObject({ Key: keys.znsAttempt(trackingId), ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':accepted': 'accepted', ':at': '2026-11-15T01:00:05.000Z', ':m': 'zalo-msg-7' } });
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({ Name: '/arrears/zalo/oa-secret-key', WithDecryption: true });
  });

  it('refuses a call with no, a wrong or another body\'s signature, or of another app: nothing recorded', async () => {
    const body = JSON.stringify(event);
    const other = JSON.stringify({ ...event, message: { ...event.message, tracking_id: 'c'.repeat(32) } });
    const foreign = JSON.stringify({ ...event, app_id: '999' });
    expect(await statusOf(call(body, ''))).toBe(401);
    expect(await statusOf(call(body, 'f'.repeat(64)))).toBe(401);
    expect(await statusOf(call(other, znsWebhookMac(APP, body, event.timestamp, SECRET)))).toBe(401);
    expect(await statusOf(call(foreign, znsWebhookMac('999', foreign, event.timestamp, SECRET)))).toBe(401);
    expect(await statusOf(call('not json', 'x'))).toBe(400);
    expect(await statusOf({ headers: {}, body: JSON.stringify({ event_name: 'x' }) })).toBe(400);
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('other events are acknowledged and ignored; a received event for no attempt is reported by message id, never the phone', async () => {
    const warn = vi.spyOn(logger, 'warn');
    expect(await statusOf(call(JSON.stringify({ app_id: APP, event_name: 'follow', timestamp: '1763168405000', user_id_by_app: '555', sender: { id: '84912345678' } })))).toBe(200);
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
    db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    expect(await statusOf(call(JSON.stringify(event)))).toBe(200);
    expect(warn).toHaveBeenCalledWith('ZNS received event for no known attempt', { msgId: 'zalo-msg-7', trackingId });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('84912345678');
    warn.mockRestore();
  });

  it('a secret SSM will not give answers 503 (Zalo posts again), nothing recorded', async () => {
    process.env.ZNS_WEBHOOK_SECRET_PARAMETER = '/arrears/zalo/other-secret';
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    expect(await statusOf(call(JSON.stringify(event)))).toBe(503);
    expect(db.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('the signature is compared whole: a prefix or another case is not it', () => {
    const body = JSON.stringify(event);
    const mac = znsWebhookMac(APP, body, event.timestamp, SECRET);
    expect(znsSignatureValid(`mac=${mac}`, APP, body, event.timestamp, SECRET)).toBe(true);
    expect(znsSignatureValid(`mac=${mac.slice(0, 40)}`, APP, body, event.timestamp, SECRET)).toBe(false);
    expect(znsSignatureValid(`mac=${mac.toUpperCase()}`, APP, body, event.timestamp, SECRET)).toBe(false);
    expect(znsSignatureValid(undefined, APP, body, event.timestamp, SECRET)).toBe(false);
  });
});

describe('the local ZNS stand-in, killed mid-accept', () => {
  const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();

  it('logs the webhook event of each message it accepts, together with its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zns-'));
    const log = join(dir, 'zns-events.jsonl');
    const id = await new FolderZnsSender(join(dir, 'out'), () => new Date('2026-11-15T01:00:00Z'), { eventsLog: log, appId: APP, noZalo: [] })
      .send({ templateId: '410001', phone: '0912345678', params: {}, trackingId });
    expect(files(join(dir, 'out'))).toEqual([`${id.slice(0, 8)}-xxx678.zns.json`]);
    expect(JSON.parse(readFileSync(log, 'utf8'))).toMatchObject({ app_id: APP, event_name: 'user_received_message', message: { msg_id: id, tracking_id: trackingId } });
    expect(readFileSync(log, 'utf8')).not.toContain('912345678');
  });

  it('at the next start delivers what was pending with an event, drops what had none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zns-'));
    const day = join(dir, 'out', '2026-11-15');
    mkdirSync(day, { recursive: true });
    const [took, never] = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    writeFileSync(join(day, `11111111-xxx678.zns.json.${took}.pending`), '{}\n');
    writeFileSync(join(day, `22222222-xxx679.zns.json.${never}.pending`), '{}\n');
    const log = join(dir, 'zns-events.jsonl');
    appendFileSync(log, `${JSON.stringify(znsReceivedEvent(APP, took, trackingId, new Date()))}\n{"app_id":"cut off by a ki`);
    expect(settlePendingZns(join(dir, 'out'), log)).toEqual({ delivered: 1, dropped: 1 });
    expect(files(join(dir, 'out'))).toEqual(['11111111-xxx678.zns.json']);
    expect(settlePendingZns(join(dir, 'out'), log)).toEqual({ delivered: 0, dropped: 0 });
  });
});
