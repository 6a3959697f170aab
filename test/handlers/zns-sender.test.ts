import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderZnsSender, ZaloZnsSender, ZnsError, ZNS_ENDPOINT, znsFailure, znsTrackingId, type AccessTokenSource } from '../../functions/commons/zns-sender.ts';

const message = { templateId: '410001', phone: '091 234 5678', params: { customer_name: 'Trang', amount: '1.980.000 ₫' }, trackingId: 'a'.repeat(32) };
const token = (): AccessTokenSource & { invalidated: number } => ({ invalidated: 0, get: async () => 'oa-token', invalidate() { this.invalidated++; } });
const answering = (status: number, body: unknown, calls: { url: string; init: RequestInit }[] = []) =>
  (async (url: string, init: RequestInit) => { calls.push({ url, init }); return new Response(JSON.stringify(body), { status }); }) as unknown as typeof fetch;
const failure = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e as ZnsError; } throw new Error('no failure'); };

describe('Zalo ZNS adapter', () => {
  it('posts the template message as Zalo asks: access_token header, phone 84… without +, template id and data, tracking id', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const sender = new ZaloZnsSender(token(), answering(200, { error: 0, message: 'Success', data: { msg_id: 'zalo-1' } }, calls));
    expect(await sender.send(message)).toBe('zalo-1');
    expect(calls[0]!.url).toBe(ZNS_ENDPOINT);
    expect((calls[0]!.init.headers as Record<string, string>).access_token).toBe('oa-token');
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ phone: '84912345678', template_id: '410001', template_data: message.params, tracking_id: message.trackingId });
  });

  it('a refusal for good (invalid phone, template, no Zalo, unknown code) is permanent: the reminder goes by SMS', async () => {
    for (const code of [-108, -109, -118, -999]) {
      const e = await failure(new ZaloZnsSender(token(), answering(200, { error: code, message: 'quoting +84912345678' })).send(message));
      expect(e).toMatchObject({ kind: 'permanent', reason: `zns${code}` });
      expect(e.message).not.toContain('84912345678');
    }
    // Not even asked: a number that is no Vietnamese mobile.
    expect(await failure(new ZaloZnsSender(token(), answering(200, {})).send({ ...message, phone: '12' }))).toMatchObject({ kind: 'permanent', reason: 'zns-108' });
  });

  it('Zalo down, rate-limited, or a transient code is retryable: tried again by ZNS, never switched to SMS', async () => {
    for (const [status, body, reason] of [[503, {}, 'http-503'], [429, {}, 'http-429'], [200, { error: -100 }, 'zns-100'], [200, 'not json', 'bad-answer']] as const) {
      expect(await failure(new ZaloZnsSender(token(), answering(status, body)).send(message))).toMatchObject({ kind: 'retryable', reason });
    }
    const down = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    expect(await failure(new ZaloZnsSender(token(), down).send(message))).toMatchObject({ kind: 'retryable', reason: 'network' });
  });

  it('a refused access token is read again next time', async () => {
    const t = token();
    await failure(new ZaloZnsSender(t, answering(200, { error: -124 })).send(message));
    expect(t.invalidated).toBe(1);
    expect(znsFailure(-124).kind).toBe('permanent');
  });

  it('the tracking id is a stable hash of the claim key, within Zalo\'s length, naming no code', () => {
    const id = znsTrackingId({ pk: 'PART#2700000001', sk: 'REMINDER#2026-11-30#before-15#sms' });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(znsTrackingId({ pk: 'PART#2700000001', sk: 'REMINDER#2026-11-30#before-15#sms' })).toBe(id);
    expect(znsTrackingId({ pk: 'PART#2700000001', sk: 'REMINDER#2026-11-30#before-3#sms' })).not.toBe(id);
  });
});

describe('the local ZNS stand-in', () => {
  it('writes one JSON file per message (template, parameters, tracking id), the phone masked in its name; refuses phones with no Zalo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zns-'));
    const sender = new FolderZnsSender(dir, () => new Date('2026-11-15T01:00:00Z'), { noZalo: ['+84900000002'] });
    const id = await sender.send(message);
    const files = readdirSync(join(dir, '2026-11-15'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/-xxx678\.zns\.json$/);
    expect(files[0]).not.toContain('912345678');
    expect(JSON.parse(readFileSync(join(dir, '2026-11-15', files[0]!), 'utf8'))).toMatchObject({ msg_id: id, template_id: '410001', template_data: message.params, tracking_id: message.trackingId });
    expect(await failure(sender.send({ ...message, phone: '0900000002' }))).toMatchObject({ kind: 'permanent', reason: 'zns-118' });
    expect(readdirSync(join(dir, '2026-11-15'))).toHaveLength(1);
  });
});
