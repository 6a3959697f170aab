import { describe, expect, it } from 'vitest';
import { buildReferralPack } from '../../functions/core/referral-pack.ts';
import { renderReferralPack } from '../../functions/report/referral-pack-markdown.ts';
import { formatVnd } from '../../functions/core/money.ts';
import { AS_OF, EVENTS, TAX_EVENTS, UNIT, employer, input, policy } from '../support/referral-pack-fixtures.ts';
import { referralPackHtml } from '../../functions/inbox/referral-pack-html.ts';

describe('referral pack rendering', () => {
  const pack = buildReferralPack(input(), policy);
  const text = renderReferralPack(pack, 'd'.repeat(64));

  it('has Vietnamese headings with their English', () => {
    for (const heading of [
      `# Hồ sơ chuyển thanh tra – đơn vị ${UNIT} / Inspection referral pack – unit ${UNIT}`,
      '## Đơn vị / Unit', '## Hồ sơ đôn đốc / Case', '## Số nợ / Position', '## Các kỳ đóng / Contribution periods',
      '## Các khoản đã nộp / Payments', '## Thông báo đôn đốc / Urging notices', '## Nhật ký làm việc của cán bộ / Officer contact log',
      '## Tạm dừng đôn đốc / Holds', '## Phát hiện từ dữ liệu thuế / Findings from tax data',
    ]) expect(text.split('\n')).toContain(heading);
  });

  it('states the money in dong, the hash, and only the periods with something owed or charged', () => {
    expect(text).toContain(`SHA-256 (JSON): \`${'d'.repeat(64)}\``);
    expect(text).toContain(`| Tổng phải nộp / Total to pay | **${formatVnd(pack.position.debt)}** |`);
    expect(text).toContain('| 2026-08 | 2026-09-30 | 10.000.000 ₫ | 1.955.000 ₫ | 8.045.000 ₫ | 51 |');
    expect(text).toContain('| 2026-07 | 2026-08-31 | 10.000.000 ₫ | 10.000.000 ₫ | 0 ₫ | 0 | 45.000 ₫ |');
    expect(text).not.toContain('| 2026-06 | 2026-07-31');
    expect(text).toContain('1 kỳ khác đã đóng đủ, đúng hạn / other period(s) paid in full and on time.');
    expect(text).toContain('| 2026-09-15 | P2 | 12.000.000 ₫ | kỳ / period 2026-07 10.000.000 ₫; lãi / interest 45.000 ₫; kỳ / period 2026-08 1.955.000 ₫ |');
    expect(text).toContain(`| 2026-10 | 2026-10-02 | đôn đốc / urging notice | đã gửi / sent | 10.030.000 ₫ | \`${'b'.repeat(64)}\` |`);
    expect(text).toContain(`| 2026-11-13 | 2026-11 | ${UNIT}-2026-11-visit-escalated | tl.vo.van.d | kết quả / outcome | refer-to-inspection | - | - |`);
    expect(text).toContain('Hiện tại / Current: bất khả kháng / force majeure đến / until 2026-11-30 (đang hiệu lực / in force).');
    expect(text).toContain('| 2026-10-10 | đặt / set | tranh chấp / dispute | 2026-10-20 | tt.le.c |');
  });

  it('keeps a table cell in its column when a value holds a pipe', () => {
    expect(text).toContain('| Tên / Name | Công ty TNHH May mặc Hoà Bình \\| chi nhánh 2 |');
  });

  it('never shows the unit\'s email or phone', () => {
    expect(text).not.toContain(employer.email);
    expect(text).not.toContain(employer.phone);
  });

  it('says so when the unit has no periods, payments, notices, contacts or hold', () => {
    const empty = renderReferralPack(buildReferralPack({ asOf: AS_OF, unit: employer, periods: [], payments: [], notices: [], events: [] }, policy));
    expect(empty).toContain('Không có kỳ đóng / No contribution periods.');
    expect(empty.match(/Không có \/ None\./g)).toHaveLength(3);
    expect(empty).toContain('Hiện không tạm dừng / No hold now.');
  });
  it('lists the unit\'s open findings from tax data, in Markdown and on the case page', () => {
    expect(text).toContain('Không có phát hiện còn mở / No open findings.');
    const withChecks = buildReferralPack(input({ events: [...EVENTS, ...TAX_EVENTS] }), policy);
    const md = renderReferralPack(withChecks);
    expect(md).toContain('| Loại / Kind | Năm thuế / Tax year | NLĐ chưa tham gia / Employees not covered | Số tháng / Months | Ước tính chưa đóng / Estimated not paid | Trốn đóng từ / Evasion from | Trạng thái / Status | Nhiệm vụ / Task |');
    expect(md).toContain('| người lao động chưa tham gia / employee not registered | 2025 | 1 | 5 | 12.480.000 ₫ | 2025-10-02 | đang kiểm tra / check open | TC-a (2026-11-03) |');
    expect(md).toContain('| người lao động chưa tham gia / employee not registered | 2025 | 1 | 12 | 29.952.000 ₫ | 2025-04-02 | đã chuyển thanh tra / referred to inspection | TC-c (2026-11-03) |');
    // The corrected wage is in the contact log, no longer among the findings.
    expect(md.slice(md.indexOf('## Phát hiện từ dữ liệu thuế'))).not.toContain('TC-b');
    const page = referralPackHtml(withChecks, 'd'.repeat(64)).text;
    expect(page).toContain('<h3>Phát hiện từ dữ liệu thuế</h3>');
    expect(page).toMatch(/<div class="scroll" tabindex="0" role="group" aria-label="Bảng phát hiện từ dữ liệu thuế[^"]*"><table>\n<caption>Phát hiện từ dữ liệu thuế còn mở hoặc đã chuyển thanh tra<\/caption>/);
    expect(page).toContain('<tr><th scope="row">Người lao động chưa tham gia</th><td class="num">2025</td><td class="num">1</td><td class="num">5</td><td class="num">12.480.000 ₫</td>');
    expect(page.match(/<th scope="row">(Người lao động chưa tham gia|Đóng thấp hơn tiền lương)<\/th>/g)).toHaveLength(3);
    expect(referralPackHtml(pack, 'd'.repeat(64)).text).toContain('<p>Không có phát hiện còn mở.</p>');
  });
});
