import { formatVnd } from '../core/money.ts';
import type { StaffEvent } from '../api/http.ts';

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
}

/** Rows of instalments the form offers (more appear when the officer filled them all). */
export const PLAN_ROWS = 3;
export const PLAN_ROWS_MAX = 12;

export function formOf(event: StaffEvent): URLSearchParams {
  const text = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : (event.body ?? '');
  return new URLSearchParams(text);
}

export function outcomeFormOf(form: URLSearchParams): OutcomeForm {
  const get = (name: string) => (form.get(name) ?? '').slice(0, 1000);
  const instalments: OutcomeForm['instalments'] = [];
  for (let i = 0; i < PLAN_ROWS_MAX; i++) {
    const row = { dueDate: get(`instalments.${i}.dueDate`).trim(), amount: get(`instalments.${i}.amount`).trim() };
    if (row.dueDate || row.amount) instalments.push(row);
  }
  return { outcome: get('outcome'), payBy: get('promise.payBy').trim(), amount: get('promise.amount').trim(), instalments, note: get('note') };
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
  return body;
}

/** The form's field for an issue the API reports (`promise.amount`, `instalments.1.dueDate`...). */
export function fieldOfIssue(field: string): string {
  if (field === '(body)' || field === '(input)' || field === '') return 'outcome';
  return field;
}

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
  [/after the previous instalment/, () => 'phải sau ngày của kỳ trước'],
  [/on or before (\d{4}-\d{2}-\d{2})/, (m) => `không được sau ngày ${viDate(m[1]!)} (giới hạn theo quy định)`],
  [/cover the debt of (\d+) dong/, (m) => `tổng số tiền phải đủ số nợ ${formatVnd(Number(m[1]))}`],
  [/has 2 to (\d+) instalments/, (m) => `kế hoạch trả góp có từ 2 đến ${m[1]} kỳ`],
  [/exactly one date and amount/, () => 'lời hứa trả có đúng một ngày và một số tiền'],
  [/must be one of/, () => 'không dùng được cho loại nhiệm vụ này'],
  [/Invalid option|expected one of/, () => 'hãy chọn một kết quả'],
  [/expected string/, () => 'là bắt buộc'],
  [/Too big|too_big|at most/, () => 'quá dài (tối đa 1000 ký tự)'],
  [/not in your team/, () => 'không thuộc nhóm của bạn'],
  [/not a known officer/, () => 'không phải cán bộ đã biết'],
  [/not active/, () => 'đang nghỉ hoặc không còn hoạt động'],
  [/must have the task's role/, () => 'không có vai trò phù hợp với nhiệm vụ'],
];

/** An API reason in Vietnamese, with the English one kept after it. */
export function reasonVi(reason: string): string {
  for (const [pattern, say] of REASONS) {
    const m = reason.match(pattern);
    if (m) return `${say(m)} (${reason})`;
  }
  return reason;
}

/** 2026-11-12 → 12/11/2026. */
export function viDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}
