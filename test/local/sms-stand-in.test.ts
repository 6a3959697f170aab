import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSmsSender, settlePendingSms } from '../../functions/commons/sms-sender.ts';

/**
 * The local SMS stand-in accepts a message and records it as one event, as the provider does: a
 * process killed between the two leaves a pending file that the next start delivers when its record
 * was written (the claim is settled from the record: not sent again) and deletes when not (the
 * claim is sent again): neither a duplicate nor a loss.
 */
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => d.name).sort();

describe('the local SMS stand-in', () => {
  it('delivers a message and its record together, leaving nothing pending', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-'));
    const log = join(dir, 'log', 'events.jsonl');
    const id = await new FolderSmsSender(join(dir, 'out'), () => new Date('2026-11-02T02:00:00Z'), { eventsLog: log }).send({ to: '0912345678', text: 'Nhắc hạn', senderId: 'BHXH' });
    expect(files(join(dir, 'out'))).toEqual([`${id.slice(0, 8)}.sms.txt`]);
    expect(readFileSync(log, 'utf8')).toContain(id);
  });

  it('at the next start, delivers what was pending with a record and drops what was pending without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sms-'));
    const day = join(dir, 'out', '2026-11-02');
    mkdirSync(day, { recursive: true });
    const accepted = '11111111-1111-4111-8111-111111111111';
    const never = '22222222-2222-4222-8222-222222222222';
    writeFileSync(join(day, `11111111.sms.txt.${accepted}.pending`), 'To: +84912345678\n\nA\n');
    writeFileSync(join(day, `22222222.sms.txt.${never}.pending`), 'To: +84912345679\n\nB\n');
    const log = join(dir, 'events.jsonl');
    appendFileSync(log, `${JSON.stringify({ eventType: 'TEXT_SENT', messageId: accepted })}\n{"messageId": "cut off by a ki`);
    expect(settlePendingSms(join(dir, 'out'), log)).toEqual({ delivered: 1, dropped: 1 });
    expect(files(join(dir, 'out'))).toEqual(['11111111.sms.txt']);
    expect(readFileSync(join(day, '11111111.sms.txt'), 'utf8')).toContain('A');
    // Settled once: a second start finds nothing more to do.
    expect(settlePendingSms(join(dir, 'out'), log)).toEqual({ delivered: 0, dropped: 0 });
  });
});
