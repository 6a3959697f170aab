/**
 * The policy's Vietnamese texts (version 2025-07-01): what each stage's measure is called, the
 * notices to employers and officers, the participant reminders (emails, and SMS unaccented) and the
 * monthly statement. `{{field}}` placeholders are filled by functions/core/template.ts; the English
 * texts (en.ts) have the same shape.
 */

const VSI_EMAIL_FOOTER = [
  '',
  'Có thể đóng qua cán bộ thu {{agentName}} ({{agentPhone}}), tại điểm thu của xã, hoặc trên ứng dụng VssID / Cổng Dịch vụ công quốc gia.',
  'Nếu đã đóng, xin bỏ qua thông báo này. Không muốn nhận nhắc nhở qua tin nhắn: trả lời STOP.',
].join('\n');
const HI_EMAIL_FOOTER = [
  '',
  'Có thể đóng qua đại lý thu {{agentName}} ({{agentPhone}}) hoặc trên ứng dụng VssID.',
  'Nếu đã đóng, xin bỏ qua thông báo này. Không muốn nhận nhắc nhở qua tin nhắn: trả lời STOP.',
].join('\n');

import type { StatementTemplate } from '../statement-schema.ts';
import type { LetterTexts } from '../letter-schema.ts';

export const VI = {
  /** What each stage does, as told to the employer in the notice of the stage before. */
  measures: {
    'urging-notice': 'tiếp tục gửi thông báo đôn đốc',
    'officer-visit': 'cử cán bộ thu đến làm việc trực tiếp với đơn vị',
    inspection: 'đề nghị thanh tra, kiểm tra và xử phạt theo quy định của pháp luật',
  },
  /** What makes a notice an official letter: letterhead, how to pay, whom to call, page numbers (letter-schema.ts). */
  letter: {
    motto: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'],
    number: 'Số: {{documentNumber}}',
    dated: '{{place}}, {{date}}',
    paymentHeading: 'Đơn vị nộp tiền bằng chuyển khoản vào một trong các tài khoản sau:',
    account: '- Số tài khoản {{accountNumber}}, tên tài khoản {{accountName}}, tại {{bank}}',
    transfer: 'Nội dung chuyển khoản (ghi đúng để số tiền được ghi nhận cho đơn vị): {{transferContent}}',
    contactHeading: 'Cần trao đổi, đơn vị liên hệ:',
    officer: '- Cán bộ phụ trách đơn vị: {{officerName}}, điện thoại {{officerPhone}}',
    officerNoPhone: '- Cán bộ phụ trách đơn vị: {{officerName}}',
    office: '- {{officeName}}, {{officeAddress}}; điện thoại {{officePhone}}; {{officeWebsite}}',
    page: 'Trang {{page}}/{{pages}}',
  } satisfies LetterTexts,
  urgingNotice: {
    subject: 'Thông báo đôn đốc đóng BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
    body: [
      '{{officeName}}',
      'Số: {{documentNumber}}, ngày {{documentDate}}',
      '',
      'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}}, MST {{taxCode}})',
      '',
      'Theo số liệu của cơ quan BHXH đến ngày {{asOf}}, đơn vị còn nợ tiền đóng BHXH, BHYT, BHTN:',
      '{{periodLines}}',
      'Số tháng chậm đóng (tính từ kỳ chưa đóng sớm nhất, {{oldestUnpaidPeriod}}): {{monthsOverdue}}',
      'Tiền gốc chậm đóng: {{overduePrincipal}}',
      'Tiền lãi chậm đóng ({{interestRate}}/ngày): {{interest}}',
      'Tổng số tiền phải nộp: {{debt}}',
      '{{arrangementLine}}',
      '{{statementLine}}',
      '',
      'Đề nghị đơn vị nộp đủ số tiền trên chậm nhất ngày {{payBy}}. Quá hạn, cơ quan BHXH sẽ {{nextMeasure}}.',
      '',
      '{{paymentLines}}',
      '',
      '{{contactLines}}',
      '',
      'Nếu đơn vị đã nộp, xin bỏ qua thông báo này.',
    ].join('\n'),
  },
  paymentConfirmation: {
    subject: 'Xác nhận đã nhận tiền đóng BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
    body: [
      'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}})',
      '',
      'Cơ quan BHXH đã nhận khoản nộp {{amount}} ngày {{paidOn}} (chứng từ {{reference}}).',
      'Số tiền còn phải nộp sau khoản này: {{debt}}.',
      '{{closingLine}}',
    ].join('\n'),
  },
  officerTaskAssigned: {
    subject: 'Nhiệm vụ mới {{taskId}}: hạn {{dueDate}}, đơn vị {{unitCode}}',
    body: [
      'Bạn được giao nhiệm vụ {{taskId}} đối với đơn vị {{unitCode}}, hạn xử lý chậm nhất ngày {{dueDate}}.',
      'Mở nhiệm vụ trong hộp việc:',
      '{{link}}',
    ].join('\n'),
  },
  managerCollectionReport: {
    subject: 'Báo cáo thu nợ đến ngày {{asOf}}: tỷ lệ nợ {{debtRatio}}',
    body: [
      'Báo cáo thu, nợ BHXH, BHYT, BHTN của văn phòng, số liệu đến ngày {{asOf}}:',
      '- Tỷ lệ nợ: {{debtRatio}}',
      '- Nợ chậm đóng: {{arrears}}',
      '- Đã thu từ đầu năm / kế hoạch năm: {{collected}} / {{plan}}',
      'Xem báo cáo đầy đủ trong hộp việc:',
      '{{link}}',
    ].join('\n'),
  },
  officerTaskClosed: {
    subject: 'Nhiệm vụ {{taskId}} đã đóng: đơn vị đã nộp đủ',
    body: 'Đơn vị {{unitCode}} đã nộp đủ số nợ (chứng từ {{reference}}). Nhiệm vụ {{taskId}} được đóng, không cần làm việc thêm.',
  },
  officerTaskOverdue: {
    subject: 'Nhiệm vụ {{taskId}} quá hạn, đã chuyển trưởng nhóm',
    body: 'Nhiệm vụ {{taskId}} (đơn vị {{unitCode}}) hết hạn ngày {{dueDate}} mà chưa có kết quả. Nhiệm vụ đã được chuyển cho trưởng nhóm {{teamLeadId}}.',
  },
  /** The line an urging notice adds when it follows a missed instalment of a promise or plan. */
  missedLine: 'Đơn vị đã không nộp đúng hạn kỳ {{instalment}} ({{dueDate}}) theo {{arrangement}} đã cam kết; cơ quan BHXH tiếp tục đôn đốc thu nợ.',
  preDisclosure: {
    subject: 'Thông báo trước khi công khai đơn vị nợ BHXH, BHYT, BHTN – đơn vị {{unitCode}}',
    body: [
      '{{officeName}}',
      'Số: {{documentNumber}}, ngày {{documentDate}}',
      '',
      'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}}, MST {{taxCode}})',
      '',
      'Theo số liệu của cơ quan BHXH đến ngày {{asOf}}, đơn vị chậm đóng BHXH, BHYT, BHTN {{monthsOverdue}} tháng (từ kỳ {{oldestUnpaidPeriod}}):',
      'Tiền gốc chậm đóng: {{overduePrincipal}}',
      'Tiền lãi chậm đóng: {{interest}}',
      'Tổng số tiền phải nộp: {{debt}}',
      '',
      'Đề nghị đơn vị nộp đủ số tiền trên chậm nhất ngày {{payBy}}.',
      'Quá thời hạn này mà đơn vị vẫn nợ từ {{minMonthsOverdue}} tháng và từ {{minDebt}} trở lên, cơ quan BHXH sẽ công khai tên đơn vị, mã đơn vị, mã số thuế, địa bàn, số tháng và số tiền nợ trên cổng thông tin điện tử của cơ quan BHXH và thông báo đến cơ quan quản lý nhà nước.',
      '',
      '{{paymentLines}}',
      '',
      '{{contactLines}}',
      '',
      'Nếu đơn vị đã nộp, xin bỏ qua thông báo này.',
    ].join('\n'),
  },
  statement: {
    subject: 'Thông báo kết quả đóng BHXH, BHYT, BHTN tháng {{cycle}} – đơn vị {{unitCode}}',
    title: 'THÔNG BÁO KẾT QUẢ ĐÓNG BHXH, BHYT, BHTN THÁNG {{cycle}}',
    header: [
      'Kính gửi: {{unitName}}',
      'Mã đơn vị: {{unitCode}} – Mã số thuế: {{taxCode}}',
      'Số liệu của cơ quan BHXH đến ngày {{asOf}}, theo từng kỳ đóng:',
    ].join('\n'),
    columns: {
      period: 'Kỳ',
      dueDate: 'Hạn đóng',
      amountDue: 'Phải đóng',
      amountPaid: 'Đã đóng',
      balance: 'Còn nợ chuyển kỳ sau',
      interest: 'Lãi chậm đóng',
    },
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
      {
        label: 'Hạn đóng kỳ {{deadlinePeriod}}',
        value: '{{deadline}} (còn phải đóng {{deadlineBalance}})',
      },
      { label: 'Đề nghị nộp số nợ chậm nhất ngày', value: '{{payBy}}', when: 'debt' },
    ],
    footer: [
      { text: 'Thông báo này gửi hằng tháng đến mọi đơn vị; bản PDF đính kèm có cùng nội dung để in.' },
      { text: 'Nếu số liệu chưa khớp với sổ sách của đơn vị, đề nghị liên hệ cơ quan BHXH chậm nhất ngày {{payBy}}.', when: 'debt' },
    ],
    fileName: 'thong-bao-ket-qua-dong-{{cycle}}-{{unitCode}}.pdf',
  } satisfies StatementTemplate,
  /** The line the urging notice adds, pointing to the cycle's statement. */
  statementNoticeLine: 'Chi tiết phải đóng, đã đóng, còn nợ và lãi từng kỳ: xem Thông báo kết quả đóng BHXH, BHYT, BHTN tháng {{cycle}} gửi đơn vị ngày {{statementOn}} (kèm bản PDF).',
  /** Participant reminders: each email, and its SMS (unaccented GSM-7, at most the policy's segments once filled). */
  reminders: {
    vsi: {
      upcoming: {
        email: {
          subject: 'Nhắc đóng BHXH tự nguyện: hạn {{deadline}}',
          body: [
            'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
            '',
            'Thời gian đã đóng BHXH tự nguyện của ông/bà đến hết ngày {{coveredUntil}}.',
            'Kỳ đóng tiếp theo ({{method}}, {{months}} tháng, mức thu nhập {{income}}): số tiền {{amount}}{{supportNote}}.',
            'Đề nghị ông/bà đóng trước ngày {{deadline}} để không bị gián đoạn thời gian tham gia.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'BHXH tu nguyen cua {{name}} ({{maskedCode}}): dong tiep {{amount}} ({{monthsText}}) truoc {{deadline}}. LH {{contact}}.{{stopNote}}',
      },
      'last-call': {
        email: {
          subject: 'Còn {{daysLeft}} ngày: đóng BHXH tự nguyện trước {{deadline}}',
          body: [
            'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
            '',
            'Chỉ còn {{daysLeft}} ngày đến hạn đóng BHXH tự nguyện ({{deadline}}).',
            'Số tiền kỳ tiếp theo ({{months}} tháng): {{amount}}{{supportNote}}.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Con {{daysLeftText}}: BHXH tu nguyen cua {{name}} ({{maskedCode}}) can dong {{amount}} ({{monthsText}}) truoc {{deadline}}. LH {{contact}}.{{stopNote}}',
      },
      lapsed: {
        email: {
          subject: 'BHXH tự nguyện đã quá hạn đóng từ {{lapsedOn}}',
          body: [
            'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
            '',
            'Thời gian đã đóng BHXH tự nguyện của ông/bà hết ngày {{coveredUntil}}; từ {{lapsedOn}} chưa có khoản đóng mới.',
            'Để tiếp tục tham gia, đề nghị đóng {{amount}} ({{months}} tháng) trước ngày {{deadline}}; sau ngày đó cán bộ thu sẽ đến gặp ông/bà.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'BHXH tu nguyen cua {{name}} ({{maskedCode}}) qua han tu {{lapsedOn}}. Dong {{amount}} truoc {{deadline}}. LH {{contact}}.{{stopNote}}',
      },
      'lapsed-final': {
        email: {
          subject: 'Nhắc lần cuối: BHXH tự nguyện chưa được đóng tiếp',
          body: [
            'Kính gửi ông/bà {{name}} (mã số BHXH {{maskedCode}}),',
            '',
            'BHXH tự nguyện của ông/bà đã quá hạn từ {{lapsedOn}}. Cán bộ thu {{agentName}} sẽ liên hệ ông/bà sau ngày {{deadline}}.',
            'Số tiền để tiếp tục ({{months}} tháng): {{amount}}.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Lan cuoi: BHXH tu nguyen cua {{name}} ({{maskedCode}}) chua dong {{amount}}, han {{deadline}}; sau do {{contact}} se den gap.{{stopNote}}',
      },
    },
    hi: {
      upcoming: {
        email: {
          subject: 'Nhắc gia hạn thẻ BHYT hộ gia đình: hết hạn {{coveredUntil}}',
          body: [
            'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
            '',
            'Thẻ BHYT của {{members}} thành viên trong hộ hết hạn ngày {{coveredUntil}}.',
            'Số tiền gia hạn {{months}} tháng: {{amount}}. Đề nghị đóng trước ngày {{deadline}} để thẻ không bị gián đoạn.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'The BHYT ho {{maskedCode}} ({{membersText}}) het han {{coveredUntil}}. Gia han {{monthsText}}: {{amount}}, dong truoc han. LH {{contact}}.{{stopNote}}',
      },
      'last-call': {
        email: {
          subject: 'Còn {{daysLeft}} ngày: thẻ BHYT hộ gia đình hết hạn {{coveredUntil}}',
          body: [
            'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
            '',
            'Còn {{daysLeft}} ngày thẻ BHYT của {{members}} thành viên hết hạn. Số tiền gia hạn {{months}} tháng: {{amount}}.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Con {{daysLeftText}} the BHYT ho {{maskedCode}} ({{membersText}}) het han. Gia han {{monthsText}}: {{amount}} truoc {{deadline}}. LH {{contact}}.{{stopNote}}',
      },
      lapsed: {
        email: {
          subject: 'Thẻ BHYT hộ gia đình đã hết hạn từ {{lapsedOn}}',
          body: [
            'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
            '',
            'Thẻ BHYT của {{members}} thành viên đã hết hạn; từ {{lapsedOn}} hộ không còn được hưởng BHYT.',
            'Đề nghị gia hạn ({{months}} tháng: {{amount}}) trước ngày {{deadline}}; sau ngày đó đại lý thu sẽ đến gặp ông/bà.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'The BHYT ho {{maskedCode}} ({{membersText}}) het han tu {{lapsedOn}}. Gia han {{monthsText}}: {{amount}} truoc {{deadline}}. LH {{contact}}.{{stopNote}}',
      },
      'lapsed-final': {
        email: {
          subject: 'Nhắc lần cuối: thẻ BHYT hộ gia đình chưa được gia hạn',
          body: [
            'Kính gửi ông/bà {{name}} (chủ hộ, mã hộ {{maskedCode}}),',
            '',
            'Thẻ BHYT của hộ đã hết hạn từ {{lapsedOn}}. Đại lý thu {{agentName}} sẽ liên hệ ông/bà sau ngày {{deadline}}.',
            'Số tiền gia hạn {{months}} tháng: {{amount}}.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Lan cuoi: the BHYT ho {{maskedCode}} da het han. Gia han {{amount}} truoc {{deadline}}, sau do {{contact}} se den gap.{{stopNote}}',
      },
    },
  },
  /** Issue 14, employees' right to know: the employee's SMS (unaccented) and email, and the unit's email (a count, never names). */
  employeeNotice: {
    sms: 'BHXH: DV {{unit}} chua dong BHXH cho ban {{monthsText}}{{months}}: BHXH {{si}}, BHYT {{hi}}, BHTN {{ui}}. Phan anh {{hotline}}',
    email: {
      subject: 'Đơn vị {{unitName}} chưa đóng BHXH, BHYT, BHTN cho bạn',
      body: [
        'Kính gửi {{name}} (mã số BHXH {{maskedCode}}),',
        '',
        'Theo số liệu của cơ quan BHXH đến ngày {{asOf}}, đơn vị {{unitName}} (mã đơn vị {{unitCode}}) chưa đóng đủ BHXH, BHYT, BHTN của bạn cho {{monthsText}}:',
        '{{monthLines}}',
        'Cộng: BHXH {{si}}, BHYT {{hi}}, BHTN {{ui}}; tổng {{total}}.',
        '',
        'Số tiền gồm phần đơn vị đóng và phần trích từ tiền lương của bạn, tính trên tiền lương đóng BHXH đơn vị đã kê khai. Cơ quan BHXH đang đôn đốc đơn vị nộp đủ.',
        'Nếu thông tin chưa đúng, hoặc cần phản ánh, xin gọi tổng đài {{hotline}} ({{officeName}}).',
        'Không muốn nhận các thông báo này nữa: xin báo tổng đài {{hotline}}.',
      ].join('\n'),
    },
    employer: {
      subject: 'Đã thông báo cho người lao động về việc chậm đóng BHXH – đơn vị {{unitCode}}',
      body: [
        'Kính gửi: {{unitName}} (mã đơn vị {{unitCode}})',
        '',
        'Thực hiện quyền được biết thông tin đóng BHXH của người lao động, ngày {{asOf}} cơ quan BHXH đã thông báo cho {{informedText}} của đơn vị việc đơn vị chưa đóng BHXH, BHYT, BHTN cho các tháng {{months}}.',
        '',
        'Đề nghị đơn vị nộp đủ số tiền còn nợ. Cần trao đổi, xin liên hệ {{officeName}}, điện thoại {{officePhone}}.',
        'Nếu đơn vị đã nộp, xin bỏ qua thông báo này.',
      ].join('\n'),
    },
  },
};
