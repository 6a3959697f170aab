import { describe, expect, it } from 'vitest';
import { classifyEmail } from '../../local/faults/count.ts';
import type { WireRecord } from '../../local/faults/ses-wire.ts';
import { claimTag } from '../../functions/commons/message-claims.ts';

const wire = (subject: string): WireRecord => ({ at: '2026-11-02T02:00:00Z', action: 'SendRawEmail', messageId: 'm-1', from: 'thu-no@bhxh.example.vn', to: ['a@example.vn'], subject, tags: {}, text: '' });

/** The harness tells the kinds apart by the policy templates' subjects, in both locales. */
describe('counting at the wire', () => {
  it('reads a statement in Vietnamese and in English as the same unit and cycle', () => {
    expect(classifyEmail(wire('Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 – đơn vị TD000001'))).toMatchObject({ kind: 'statement', key: 'TD000001|2026-11' });
    expect(classifyEmail(wire('Contribution statement, November 2026 – unit TD000002'))).toMatchObject({ kind: 'statement', key: 'TD000002|2026-11' });
  });

  it("tells an officer's assignment email from the overdue and closed ones, each assignment apart", () => {
    const tagged = (subject: string, assignment: number): WireRecord => ({ ...wire(subject), tags: { claim: claimTag.of({ message: 'officer-email', taskId: 'TD000001-2026-11-visit', purpose: 'task-assigned', assignment }) } });
    expect(classifyEmail(tagged('Nhiệm vụ mới TD000001-2026-11-visit: hạn 12/11/2026, đơn vị TD000001', 0))).toMatchObject({ kind: 'officer-email', key: 'assigned|TD000001-2026-11-visit#0' });
    expect(classifyEmail(tagged('New task TD000001-2026-11-visit: due 12/11/2026, unit TD000001', 2))).toMatchObject({ kind: 'officer-email', key: 'assigned|TD000001-2026-11-visit#2' });
    expect(classifyEmail(wire('Nhiệm vụ TD000001-2026-11-visit quá hạn, đã chuyển trưởng nhóm'))).toMatchObject({ kind: 'officer-email', key: 'overdue|TD000001-2026-11-visit' });
  });
});
