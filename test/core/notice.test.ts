import { describe, expect, it } from 'vitest';
import { renderUrgingNotice } from '../../functions/core/notice.ts';
import { ledgerStatus } from '../../functions/core/ledger.ts';
import { POLICY_VERSIONS, deadlineOf } from '../../functions/core/policy.ts';
import { formatVnd } from '../../functions/core/money.ts';
import { letterOf } from '../support/letter.ts';

const policy = POLICY_VERSIONS.at(-1)!;
const status = ledgerStatus(
  ['2026-08', '2026-09'].map((period) => ({ period, amountDue: 1_250_000, dueDate: deadlineOf(period, policy) })),
  [],
  '2026-11-02',
  policy,
);
const recipient = { unitCode: 'TA0012345', name: 'Công ty TNHH May mặc Hoà Bình', taxCode: '2700123456', locale: 'vi' as const };

describe('urging notice', () => {
  it('formats money as vi-VN dong', () => {
    expect(formatVnd(1_250_000)).toBe('1.250.000 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
  });

  it('states the debt per period, the interest, the deadline and the next measure, in Vietnamese', () => {
    const n = renderUrgingNotice(recipient, status, policy.stages[1]!, '2026-11-02', policy, letterOf('urging', 'TA0012345'));
    expect(n.subject).toContain('TA0012345');
    expect(n.body).toContain('Kỳ 08/2026: phải đóng 1.250.000 ₫');
    expect(n.body).toContain('Kỳ 09/2026');
    expect(n.body).toContain(`Tổng số tiền phải nộp: ${formatVnd(status.debt)}`);
    expect(n.body).toContain('0,03%/ngày');
    expect(n.payBy).toBe('2026-11-17');
    expect(n.body).toContain('chậm nhất ngày 17/11/2026');
    expect(n.body).toContain('thanh tra');
    // It points to the cycle's statement, sent to every unit the same day, after the run.
    expect(n.body).toContain('xem Thông báo kết quả đóng BHXH, BHYT, BHTN tháng 11/2026 gửi đơn vị ngày 02/11/2026 (kèm bản PDF)');
    expect(n.body).not.toMatch(/\{\{/);
  });

  it('has an English variant from the same policy', () => {
    const n = renderUrgingNotice({ ...recipient, locale: 'en' }, status, policy.stages[0]!, '2026-11-02', policy, letterOf('urging', 'TA0012345'));
    expect(n.body).toContain('Period 08/2026: due 1.250.000 ₫');
    expect(n.body).toContain('send a collection officer to visit the unit');
    expect(n.body).toContain('see the contribution statement for November 2026 sent to your unit on 02/11/2026');
  });
});
