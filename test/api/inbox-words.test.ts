import { describe, expect, it } from 'vitest';
import { caseEvent } from '../../functions/core/case-events.ts';
import { actorVi, eventTextVi, eventTitleVi, viDate, viDateTime, viMonth } from '../../functions/inbox/words.ts';
import { contactBodyOf, contactFormOf, reasonVi } from '../../functions/inbox/forms.ts';
import { SAMPLES } from '../support/case-event-samples.ts';

/** What staff read in the inbox: Vietnamese words, local times, nothing meant for machines. */
describe('inbox words', () => {
  it('tells every kind of event in Vietnamese, without ids, hashes, versions, ISO dates or nulls', () => {
    for (const sample of SAMPLES) {
      const e = caseEvent(sample);
      const text = `${eventTitleVi(e)} ${eventTextVi(e, (id) => `«${id}»`)}`;
      expect(text, e.kind).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(text, e.kind).not.toMatch(/null|undefined|sha|anchorPeriod|contentSha256|messageId|policy|TA000001-2026-11/i);
      expect(text, e.kind).not.toContain('aaaaaaaa');
      // Officers by name (here «id» stands for the name the page looks up).
      if (e.kind === 'task-reassigned') expect(text).toContain('«cb.a»');
    }
  });

  it('writes dates and times as people do, in office time', () => {
    expect(viDateTime('2026-11-01T23:00:00.000Z')).toBe('02/11/2026 06:00');
    expect(viDate('2026-11-02')).toBe('02/11/2026');
    expect(viMonth('2026-11')).toBe('tháng 11/2026');
    expect(actorVi('system:monthly-run')).toBe('Hệ thống');
    expect(actorVi('cb.a', (id) => (id === 'cb.a' ? 'Trần Thị A' : id))).toBe('Trần Thị A');
  });

  it('says every refusal in plain Vietnamese, never the schema library\'s words', () => {
    expect(reasonVi('Invalid option: expected one of "visit"|"phone"')).toBe('hãy chọn một giá trị trong danh sách');
    expect(reasonVi('must not be before the task was opened (2026-11-02)')).toBe('không được trước ngày giao nhiệm vụ (02/11/2026)');
    expect(reasonVi('Some internal message nobody wrote for people')).toBe('giá trị không hợp lệ');
    expect(reasonVi('must be more than zero')).not.toMatch(/[a-z]{4,} [a-z]{4,}/);
  });

  it('reads the contact form as typed and leaves blank optional fields out of the body', () => {
    const form = contactFormOf(new URLSearchParams({ attemptId: 'a1b2c3d4e5', on: '2026-11-02', channel: 'phone', result: 'no-answer', personMet: ' ', note: '' }));
    expect(contactBodyOf(form)).toEqual({ attemptId: 'a1b2c3d4e5', on: '2026-11-02', channel: 'phone', result: 'no-answer' });
  });

  it('says a tax-data check\'s refusals in its field\'s words: a count is not money, a reason is chosen', () => {
    expect(reasonVi('Invalid input: expected number, received string', 'registered')).toBe('phải là một số nguyên, chỉ gồm chữ số (ví dụ 3)');
    expect(reasonVi('must be at least 1', 'registered')).toBe('phải từ 1 người trở lên');
    expect(reasonVi('must be a whole number from 1 to 10000', 'registered')).toBe('phải là số nguyên từ 1 đến 10.000');
    expect(reasonVi('is required: how many employees were registered', 'registered')).toBe('hãy nhập số lao động đơn vị đã đăng ký thêm');
    expect(reasonVi('is required: one of a, b', 'reason')).toBe('hãy chọn lý do giải trình');
    expect(reasonVi('must be one of a, b', 'reason')).toBe('hãy chọn một lý do trong danh sách');
    // Other fields keep the general words.
    expect(reasonVi('is required')).toBe('là bắt buộc');
  });
});
