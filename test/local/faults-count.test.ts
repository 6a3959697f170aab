import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../local/faults/count.ts';
import type { WireRecord } from '../../local/faults/ses-wire.ts';

const wire = (subject: string): WireRecord => ({ at: '2026-11-02T02:00:00Z', action: 'SendRawEmail', messageId: 'm-1', from: 'thu-no@bhxh.example.vn', to: ['a@example.vn'], subject, tags: {}, text: '' });

/** The harness tells the kinds apart by the policy templates' subjects, in both locales. */
describe('counting at the wire', () => {
  it('reads a statement in Vietnamese and in English as the same unit and cycle', () => {
    expect(classifyEmail(wire('Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 – đơn vị TD000001'))).toMatchObject({ kind: 'statement', key: 'TD000001|2026-11' });
    expect(classifyEmail(wire('Contribution statement, November 2026 – unit TD000002'))).toMatchObject({ kind: 'statement', key: 'TD000002|2026-11' });
  });
});
