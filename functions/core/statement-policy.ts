import { z } from 'zod';

/**
 * The statement section of the policy (functions/core/policy.ts): when every employer gets its
 * monthly statement of contribution results, how far back it goes, and its one template per
 * locale. The same template is rendered to the email's HTML and text and to the PDF attached
 * (functions/core/statement.ts), so the two never say different things. Modelled on the agency's
 * monthly notice of contribution results to each unit (form C12-TS, Decision 595/QĐ-BHXH).
 */

/** Figures a summary line may show only when they are above zero (otherwise the line is left out). */
export const STATEMENT_CONDITIONS = ['debt', 'credit', 'notYetDue'] as const;

const statementTemplate = z.object({
  subject: z.string().min(1),
  title: z.string().min(1),
  /** Lines above the table; a line holding only an optional field that is empty is left out. */
  header: z.string().min(1),
  columns: z.object({
    period: z.string().min(1),
    dueDate: z.string().min(1),
    amountDue: z.string().min(1),
    amountPaid: z.string().min(1),
    balance: z.string().min(1),
    interest: z.string().min(1),
  }),
  /** The first row when older, settled periods are summed up: `{{before}}` is the first period shown in detail. */
  broughtForward: z.string().min(1),
  totalRow: z.string().min(1),
  /** Label and value lines below the table; `when` shows one only while that figure is above zero. */
  summary: z.array(z.object({ label: z.string().min(1), value: z.string().min(1), when: z.enum(STATEMENT_CONDITIONS).optional() })).min(1),
  footer: z.string().min(1),
  /** The PDF attachment's file name. */
  fileName: z.string().regex(/^[A-Za-z0-9{}-]+\.pdf$/, 'must be ASCII letters, digits, dashes and fields, ending in .pdf'),
});

export const statementSchema = z.object({
  /** Day of month and local hour of the statement run: after the monthly run, so the urging notice can point to it. */
  dayOfMonth: z.number().int().min(1).max(10),
  hour: z.number().int().min(0).max(23),
  /** Periods shown one by one: this many months back from the cycle, and any older one still unpaid. */
  months: z.number().int().min(1).max(36),
  templates: z.object({ vi: statementTemplate, en: statementTemplate }),
  /** The line the urging notice adds, pointing to the cycle's statement. */
  noticeLine: z.object({ vi: z.string().min(1), en: z.string().min(1) }),
});
export type StatementPolicy = z.infer<typeof statementSchema>;
export type StatementTemplate = z.infer<typeof statementTemplate>;

export const STATEMENT_2025: StatementPolicy = {
  dayOfMonth: 2,
  hour: 9,
  months: 12,
  templates: {
    vi: {
      subject: 'Thông báo kết quả đóng BHXH, BHYT, BHTN tháng {{cycle}} – đơn vị {{unitCode}}',
      title: 'THÔNG BÁO KẾT QUẢ ĐÓNG BHXH, BHYT, BHTN THÁNG {{cycle}}',
      header: [
        'Kính gửi: {{unitName}}',
        'Mã đơn vị: {{unitCode}} – Mã số thuế: {{taxCode}}',
        'Số liệu của cơ quan BHXH đến ngày {{asOf}}, theo từng kỳ đóng:',
      ].join('\n'),
      columns: { period: 'Kỳ', dueDate: 'Hạn đóng', amountDue: 'Phải đóng', amountPaid: 'Đã đóng', balance: 'Còn nợ chuyển kỳ sau', interest: 'Lãi chậm đóng' },
      broughtForward: 'Các kỳ trước {{before}}',
      totalRow: 'Cộng',
      summary: [
        { label: 'Tiền gốc chậm đóng', value: '{{overduePrincipal}}' },
        { label: 'Chưa đến hạn đóng', value: '{{notYetDue}}', when: 'notYetDue' },
        { label: 'Lãi chậm đóng đã tính ({{interestRate}}/ngày)', value: '{{interestAccrued}}' },
        { label: 'Lãi đã nộp', value: '{{interestPaid}}' },
        { label: 'Lãi còn phải nộp', value: '{{interestOutstanding}}' },
        { label: 'Tổng số tiền nợ phải nộp ngay', value: '{{debt}}' },
        { label: 'Số tiền nộp thừa chuyển kỳ sau', value: '{{credit}}', when: 'credit' },
        { label: 'Hạn đóng kỳ {{deadlinePeriod}}', value: '{{deadline}} (còn phải đóng {{deadlineBalance}})' },
        { label: 'Đề nghị nộp số nợ trước ngày', value: '{{payBy}}', when: 'debt' },
      ],
      footer: [
        'Thông báo này gửi hằng tháng đến mọi đơn vị; bản PDF đính kèm có cùng nội dung để in.',
        'Nếu số liệu chưa khớp với sổ sách của đơn vị, đề nghị liên hệ cơ quan BHXH trước ngày {{payBy}}.',
      ].join('\n'),
      fileName: 'thong-bao-ket-qua-dong-{{cycle}}-{{unitCode}}.pdf',
    },
    en: {
      subject: 'Contribution statement {{cycle}} – unit {{unitCode}}',
      title: 'STATEMENT OF SOCIAL, HEALTH AND UNEMPLOYMENT INSURANCE CONTRIBUTIONS, {{cycle}}',
      header: [
        'To: {{unitName}}',
        'Unit code: {{unitCode}} – Tax code: {{taxCode}}',
        'Agency records as of {{asOf}}, by contribution period:',
      ].join('\n'),
      columns: { period: 'Period', dueDate: 'Deadline', amountDue: 'Due', amountPaid: 'Paid', balance: 'Balance carried', interest: 'Late interest' },
      broughtForward: 'Periods before {{before}}',
      totalRow: 'Total',
      summary: [
        { label: 'Late principal', value: '{{overduePrincipal}}' },
        { label: 'Not yet due', value: '{{notYetDue}}', when: 'notYetDue' },
        { label: 'Late-payment interest charged ({{interestRate}} per day)', value: '{{interestAccrued}}' },
        { label: 'Interest paid', value: '{{interestPaid}}' },
        { label: 'Interest outstanding', value: '{{interestOutstanding}}' },
        { label: 'Total to pay now', value: '{{debt}}' },
        { label: 'Overpayment carried forward', value: '{{credit}}', when: 'credit' },
        { label: 'Deadline for period {{deadlinePeriod}}', value: '{{deadline}} ({{deadlineBalance}} still to pay)' },
        { label: 'Please pay the debt by', value: '{{payBy}}', when: 'debt' },
      ],
      footer: [
        'This statement is sent to every unit each month; the attached PDF says the same, for printing.',
        'If these figures differ from your books, please contact the agency before {{payBy}}.',
      ].join('\n'),
      fileName: 'contribution-statement-{{cycle}}-{{unitCode}}.pdf',
    },
  },
  noticeLine: {
    vi: 'Chi tiết phải đóng, đã đóng, còn nợ và lãi từng kỳ: xem Thông báo kết quả đóng BHXH, BHYT, BHTN tháng {{cycle}} gửi đơn vị ngày {{statementOn}} (kèm bản PDF).',
    en: 'Due, paid, balance and interest per period: see the contribution statement for {{cycle}} sent to your unit on {{statementOn}} (PDF attached to it).',
  },
};
