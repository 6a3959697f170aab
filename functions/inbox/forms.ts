import { formatVnd } from '../core/money.ts';
import type { StaffEvent } from '../api/http.ts';
import { viDate } from './words.ts';

/**
 * The outcome form as the officer typed it (strings, kept to show again after an error), and the
 * body the staff API's outcome route takes. The server validates the body with the same schema as
 * the JSON API (`outcomeInputSchema`), so the form has no rules of its own.
 */
export interface OutcomeForm {
  outcome: string;
  payBy: string;
  amount: string;
  instalments: { dueDate: string; amount: string }[];
  note: string;
  /** A tax-data check's "registered": how many employees, as typed. */
  registered?: string | undefined;
  /** A tax-data check's "explained": the policy's reason code chosen. */
  reason?: string | undefined;
}

/** Rows of instalments the form offers at first (more appear, up to the policy's number, when the officer filled them all). */
export const PLAN_ROWS = 3;

export function formOf(event: StaffEvent): URLSearchParams {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  return new URLSearchParams(text);
}

/** The form as typed; `maxInstalments` is the policy's (`arrangements.planMaxInstalments`). */
export function outcomeFormOf(form: URLSearchParams, maxInstalments: number): OutcomeForm {
  const get = (name: string) => (form.get(name) ?? '').slice(0, 1000);
  const instalments: OutcomeForm['instalments'] = [];
  for (let i = 0; i < maxInstalments; i++) {
    const row = { dueDate: get(`instalments.${i}.dueDate`).trim(), amount: get(`instalments.${i}.amount`).trim() };
    if (row.dueDate || row.amount) instalments.push(row);
  }
  return {
    outcome: get('outcome'), payBy: get('promise.payBy').trim(), amount: get('promise.amount').trim(), instalments, note: get('note'),
    registered: get('registered').trim().slice(0, 20), reason: get('reason').trim().slice(0, 60),
  };
}

/**
 * "25.000.000", "25 000 000 ₫" and "25000000" are all 25,000,000 dong; anything else stays text,
 * so the schema says what is wrong with it (an empty field is left out: "required").
 */
export function amountOf(text: string): number | string | undefined {
  const compact = text.replace(/[\s.\u00a0₫]|đ$|VND$/gi, '');
  if (compact === '') return undefined;
  return /^\d{1,16}$/.test(compact) ? Number(compact) : text;
}

export function outcomeBodyOf(form: OutcomeForm): Record<string, unknown> {
  const body: Record<string, unknown> = { outcome: form.outcome };
  if (form.note.trim()) body.note = form.note;
  if (form.outcome === 'promised-to-pay') body.promise = { payBy: form.payBy, amount: amountOf(form.amount) };
  if (form.outcome === 'plan-agreed' && form.instalments.length > 0) {
    body.instalments = form.instalments.map((row) => ({ dueDate: row.dueDate, amount: amountOf(row.amount) }));
  }
  // A tax-data check's count and reason go with their outcome only (as the promise and plan do).
  if (form.outcome === 'registered' && form.registered) body.registered = countOf(form.registered);
  if (form.outcome === 'explained' && form.reason) body.reason = form.reason;
  return body;
}

/**
 * "3" and "1.000" (a thousands dot) are counts; anything else stays text, so the schema says what
 * is wrong with it ("0" stays 0: below the least).
 */
export function countOf(text: string): number | string {
  const compact = text.replace(/[\s.\u00a0]/g, '');
  return /^\d{1,7}$/.test(compact) ? Number(compact) : text;
}

/** The form's field for an issue the API reports (`promise.amount`, `instalments.1.dueDate`...). */
export function fieldOfIssue(field: string): string {
  if (field === '(body)' || field === '(input)' || field === '') return 'outcome';
  return field;
}

/** A field's own words, before the general ones: a count of employees is not an amount of money. */
const FIELD_REASONS: Record<string, [RegExp, (m: RegExpMatchArray) => string][]> = {
  registered: [
    [/is required/, () => 'hãy nhập số lao động đơn vị đã đăng ký thêm'],
    [/from 1 to (\d+)/, (m) => `phải là số nguyên từ 1 đến ${Number(m[1]).toLocaleString('vi-VN')}`],
    [/at least 1/, () => 'phải từ 1 người trở lên'],
    [/at most (\d+)/, (m) => `không được quá ${Number(m[1]).toLocaleString('vi-VN')} người`],
    [/only for the registered/, () => 'chỉ dùng cho kết quả "Đơn vị đã đăng ký thêm lao động"'],
    [/.*/, () => 'phải là một số nguyên, chỉ gồm chữ số (ví dụ 3)'],
  ],
  reason: [
    [/is required/, () => 'hãy chọn lý do giải trình'],
    [/only for the explained/, () => 'chỉ dùng cho kết quả "Đã giải trình"'],
    [/.*/, () => 'hãy chọn một lý do trong danh sách'],
  ],
};

const REASONS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/calendar date/, () => 'phải là một ngày hợp lệ'],
  [/more than zero|positive whole number/, () => 'phải là số tiền lớn hơn 0'],
  [/expected number|whole dong/, () => 'phải là số tiền bằng đồng, chỉ gồm chữ số (ví dụ 25.000.000)'],
  [/not be negative/, () => 'không được là số âm'],
  [/implausibly large/, () => 'quá lớn'],
  [/required for a promise to pay/, () => 'cần có ngày hứa trả và số tiền'],
  [/required for a payment plan/, () => 'cần có các kỳ trả (ngày và số tiền)'],
  [/only for the promised-to-pay/, () => 'chỉ dùng cho kết quả "Hứa trả nợ"'],
  [/only for the plan-agreed/, () => 'chỉ dùng cho kết quả "Thỏa thuận trả góp"'],
  [/not be before today/, () => 'không được trước ngày hôm nay'],
  [/not be after today/, () => 'không được sau ngày hôm nay'],
  [/before the task was opened \((\d{4}-\d{2}-\d{2})\)/, (m) => `không được trước ngày giao nhiệm vụ (${viDate(m[1]!)})`],
  [/after the previous instalment/, () => 'phải sau ngày của kỳ trước'],
  [/on or before (\d{4}-\d{2}-\d{2})/, (m) => `không được sau ngày ${viDate(m[1]!)} (giới hạn theo quy định)`],
  [/cover the debt of (\d+) dong/, (m) => `tổng số tiền phải đủ số nợ ${formatVnd(Number(m[1]))}`],
  [/has 2 to (\d+) instalments/, (m) => `kế hoạch trả góp có từ 2 đến ${m[1]} kỳ`],
  [/exactly one date and amount/, () => 'lời hứa trả có đúng một ngày và một số tiền'],
  [/must be one of/, () => 'không dùng được cho loại nhiệm vụ này'],
  [/choose at least one task/, () => 'hãy chọn ít nhất một nhiệm vụ'],
  [/Invalid option|expected one of|Invalid enum/, () => 'hãy chọn một giá trị trong danh sách'],
  [/expected string|is required|Required/, () => 'là bắt buộc'],
  [/Too big|too_big|at most|Too long/, () => 'quá dài'],
  [/not in your team/, () => 'không thuộc tổ của bạn'],
  [/not a known officer/, () => 'không phải cán bộ trong danh sách'],
  [/not active/, () => 'đang nghỉ hoặc không còn làm việc'],
  [/must have the task's role/, () => 'không có vai trò phù hợp với nhiệm vụ'],
  [/is not open/, () => 'nhiệm vụ đã đóng'],
  [/not yours or your team's|not in your team/, () => 'không thuộc tổ của bạn'],
];

/**
 * An API reason in plain Vietnamese. The API's reasons are English sentences and sometimes the
 * schema library's; neither is shown: a reason not listed here reads as "is not valid".
 */
export function reasonVi(reason: string, field?: string): string {
  for (const [pattern, say] of [...(field ? FIELD_REASONS[field] ?? [] : []), ...REASONS]) {
    const m = reason.match(pattern);
    if (m) return say(m);
  }
  return 'giá trị không hợp lệ';
}

/** The contact form as typed (kept to show again after an error). */
export interface ContactForm {
  attemptId: string;
  on: string;
  channel: string;
  result: string;
  personMet: string;
  note: string;
}

export function contactFormOf(form: URLSearchParams): ContactForm {
  const get = (name: string, max = 1000) => (form.get(name) ?? '').slice(0, max);
  return { attemptId: get('attemptId', 64).trim(), on: get('on', 10).trim(), channel: get('channel', 20), result: get('result', 30), personMet: get('personMet', 120), note: get('note') };
}

/** The body of POST /tasks/{taskId}/contacts: blank optional fields left out. */
export function contactBodyOf(form: ContactForm): Record<string, unknown> {
  return {
    attemptId: form.attemptId, on: form.on, channel: form.channel, result: form.result,
    ...(form.personMet.trim() && { personMet: form.personMet }), ...(form.note.trim() && { note: form.note }),
  };
}

export { viDate } from './words.ts';
