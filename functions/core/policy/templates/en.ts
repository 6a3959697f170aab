import type { VI } from './vi.ts';

/** The policy's English texts (version 2025-07-01), the same shape as the Vietnamese ones (vi.ts). */

const VSI_EMAIL_FOOTER = [
  '',
  'You can pay through your collection agent {{agentName}} ({{agentPhone}}), at the commune collection point, or in the VssID app / National Public Service Portal.',
  'If you have already paid, please disregard this message. To stop reminder SMS, reply STOP.',
].join('\n');
const HI_EMAIL_FOOTER = [
  '',
  'You can pay through your collection agent {{agentName}} ({{agentPhone}}) or in the VssID app.',
  'If you have already paid, please disregard this message. To stop reminder SMS, reply STOP.',
].join('\n');

export const EN: typeof VI = {
  measures: {
    'urging-notice': 'keep sending urging notices',
    'officer-visit': 'send a collection officer to visit the unit',
    inspection: 'refer the unit for inspection and penalties under the law',
  },
  letter: {
    motto: ['SOCIALIST REPUBLIC OF VIET NAM', 'Independence - Freedom - Happiness'],
    number: 'No. {{documentNumber}}',
    dated: '{{place}}, {{date}}',
    paymentHeading: 'Please pay by bank transfer to one of these accounts:',
    account: '- Account {{accountNumber}}, account name {{accountName}}, at {{bank}}',
    transfer: 'Transfer content (write it exactly, so the payment is credited to your unit): {{transferContent}}',
    contactHeading: 'For any question, please contact:',
    officer: "- Your unit's officer: {{officerName}}, phone {{officerPhone}}",
    officerNoPhone: "- Your unit's officer: {{officerName}}",
    office: '- {{officeName}}, {{officeAddress}}; phone {{officePhone}}; {{officeWebsite}}',
    page: 'Page {{page}} of {{pages}}',
  },
  urgingNotice: {
    subject: 'Contribution arrears notice – unit {{unitCode}}',
    body: [
      '{{officeName}}',
      'No. {{documentNumber}}, dated {{documentDate}}',
      '',
      'To: {{unitName}} (unit code {{unitCode}}, tax code {{taxCode}})',
      '',
      'According to the agency records as of {{asOf}}, your unit owes social, health and unemployment insurance contributions:',
      '{{periodLines}}',
      'Months overdue (since the oldest unpaid period {{oldestUnpaidPeriod}}): {{monthsOverdue}}',
      'Late principal: {{overduePrincipal}}',
      'Late-payment interest ({{interestRate}} per day): {{interest}}',
      'Total to pay: {{debt}}',
      '{{arrangementLine}}',
      '{{statementLine}}',
      '',
      'Please pay the full amount by {{payBy}} at the latest. Otherwise the agency will {{nextMeasure}}.',
      '',
      '{{paymentLines}}',
      '',
      '{{contactLines}}',
      '',
      'If you have already paid, please disregard this notice.',
    ].join('\n'),
  },
  paymentConfirmation: {
    subject: 'Payment received – unit {{unitCode}}',
    body: [
      'To: {{unitName}} (unit code {{unitCode}})',
      '',
      'The agency has received {{amount}} paid on {{paidOn}} (reference {{reference}}).',
      'Still to pay after this payment: {{debt}}.',
      '{{closingLine}}',
    ].join('\n'),
  },
  officerTaskAssigned: {
    subject: 'New task {{taskId}}: due {{dueDate}}, unit {{unitCode}}',
    body: [
      'You have been given task {{taskId}} on unit {{unitCode}}, due on {{dueDate}} at the latest.',
      'Open it in the inbox:',
      '{{link}}',
    ].join('\n'),
  },
  managerCollectionReport: {
    subject: 'Collection report as of {{asOf}}: debt ratio {{debtRatio}}',
    body: [
      "The office's collection report, figures as of {{asOf}}:",
      '- Debt ratio: {{debtRatio}}',
      '- Arrears: {{arrears}}',
      '- Collected this year / year plan: {{collected}} / {{plan}}',
      'Read the whole report in the inbox:',
      '{{link}}',
    ].join('\n'),
  },
  officerTaskClosed: {
    subject: 'Task {{taskId}} closed: the unit has paid',
    body: 'Unit {{unitCode}} has paid its debt (reference {{reference}}). Task {{taskId}} is closed; no further action is needed.',
  },
  officerTaskOverdue: {
    subject: 'Task {{taskId}} is overdue and has gone to your team lead',
    body: 'Task {{taskId}} (unit {{unitCode}}) was due on {{dueDate}} with no outcome recorded. It has been passed to team lead {{teamLeadId}}.',
  },
  missedLine: 'Your unit did not pay instalment {{instalment}} (due {{dueDate}}) of the {{arrangement}} it agreed; the agency resumes collection.',
  preDisclosure: {
    subject: 'Notice before public disclosure of contribution arrears – unit {{unitCode}}',
    body: [
      '{{officeName}}',
      'No. {{documentNumber}}, dated {{documentDate}}',
      '',
      'To: {{unitName}} (unit code {{unitCode}}, tax code {{taxCode}})',
      '',
      'According to the agency records as of {{asOf}}, your unit is {{monthsOverdue}} months late with its social, health and unemployment insurance contributions (since period {{oldestUnpaidPeriod}}):',
      'Late principal: {{overduePrincipal}}',
      'Late-payment interest: {{interest}}',
      'Total to pay: {{debt}}',
      '',
      'Please pay the full amount by {{payBy}} at the latest.',
      'If your unit still owes {{minMonthsOverdue}} months or more and {{minDebt}} or more after that date, the agency will publish its name, unit code, tax code, district, months overdue and debt on its web portal and inform the state management bodies.',
      '',
      '{{paymentLines}}',
      '',
      '{{contactLines}}',
      '',
      'If you have already paid, please disregard this notice.',
    ].join('\n'),
  },
  statement: {
    subject: 'Contribution statement, {{month}} – unit {{unitCode}}',
    title: 'STATEMENT OF SOCIAL, HEALTH AND UNEMPLOYMENT INSURANCE CONTRIBUTIONS, {{cycle}}',
    header: [
      'To: {{unitName}}',
      'Unit code: {{unitCode}} – Tax code: {{taxCode}}',
      'Agency records as of {{asOf}}, by contribution period:',
    ].join('\n'),
    columns: {
      period: 'Period',
      dueDate: 'Deadline',
      amountDue: 'Due',
      amountPaid: 'Paid',
      balance: 'Balance carried',
      interest: 'Late interest',
    },
    broughtForward: 'Periods before {{before}}',
    totalRow: 'Total',
    summary: [
      { label: 'Late principal', value: '{{overduePrincipal}}' },
      { label: 'Not yet due', value: '{{notYetDue}}', when: 'notYetDue' },
      {
        label: 'Late-payment interest charged ({{interestRate}} per day)',
        value: '{{interestAccrued}}',
      },
      { label: 'Interest paid', value: '{{interestPaid}}' },
      { label: 'Interest outstanding', value: '{{interestOutstanding}}' },
      { label: 'Total to pay now', value: '{{debt}}' },
      { label: 'Overpayment carried forward', value: '{{credit}}', when: 'credit' },
      {
        label: 'Deadline for period {{deadlinePeriod}}',
        value: '{{deadline}} ({{deadlineBalance}} still to pay)',
      },
      { label: 'Please pay the debt by (at the latest)', value: '{{payBy}}', when: 'debt' },
    ],
    footer: [
      { text: 'This statement is sent to every unit each month; the attached PDF says the same, for printing.' },
      { text: 'If these figures differ from your books, please contact the agency by {{payBy}} at the latest.', when: 'debt' },
    ],
    fileName: 'contribution-statement-{{cycle}}-{{unitCode}}.pdf',
  },
  statementNoticeLine: 'Due, paid, balance and interest per period: see the contribution statement for {{month}} sent to your unit on {{statementOn}} (PDF attached to it).',
  reminders: {
    vsi: {
      upcoming: {
        email: {
          subject: 'Voluntary social insurance: please pay by {{deadline}}',
          body: [
            'Dear {{name}} (social insurance code {{maskedCode}}),',
            '',
            'Your voluntary social insurance is paid through {{coveredUntil}}.',
            'Next payment ({{method}}, {{monthsText}}, chosen income {{income}}): {{amount}}{{supportNote}}.',
            'Please pay by {{deadline}} so that your participation is not interrupted.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Voluntary SI of {{name}} ({{maskedCode}}): pay {{amount}} ({{monthsText}}) by {{deadline}} to continue. Call {{contact}}.{{stopNote}}',
      },
      'last-call': {
        email: {
          subject: '{{daysLeftText}} left: voluntary social insurance due {{deadline}}',
          body: [
            'Dear {{name}} (social insurance code {{maskedCode}}),',
            '',
            'Only {{daysLeftText}} left to pay your voluntary social insurance ({{deadline}}).',
            'Next payment ({{monthsText}}): {{amount}}{{supportNote}}.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: '{{daysLeftText}} left: voluntary SI of {{name}} ({{maskedCode}}), pay {{amount}} ({{monthsText}}) by {{deadline}}. Call {{contact}}.{{stopNote}}',
      },
      lapsed: {
        email: {
          subject: 'Voluntary social insurance overdue since {{lapsedOn}}',
          body: [
            'Dear {{name}} (social insurance code {{maskedCode}}),',
            '',
            'Your voluntary social insurance was paid through {{coveredUntil}}; nothing has been paid since {{lapsedOn}}.',
            'To keep participating, please pay {{amount}} ({{monthsText}}) by {{deadline}}; after that your collection agent will visit you.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Voluntary SI of {{name}} ({{maskedCode}}) overdue since {{lapsedOn}}. Pay {{amount}} by {{deadline}}. Call {{contact}}.{{stopNote}}',
      },
      'lapsed-final': {
        email: {
          subject: 'Last reminder: voluntary social insurance not renewed',
          body: [
            'Dear {{name}} (social insurance code {{maskedCode}}),',
            '',
            'Your voluntary social insurance has been overdue since {{lapsedOn}}. Your collection agent {{agentName}} will contact you after {{deadline}}.',
            'Amount to continue ({{monthsText}}): {{amount}}.',
            VSI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Last reminder: voluntary SI of {{name}} ({{maskedCode}}) unpaid. Pay {{amount}} by {{deadline}}; then {{contact}} will visit.{{stopNote}}',
      },
    },
    hi: {
      upcoming: {
        email: {
          subject: 'Household health insurance cards expire on {{coveredUntil}}',
          body: [
            'Dear {{name}} (head of household {{maskedCode}}),',
            '',
            'The health insurance cards of the household ({{membersText}}) expire on {{coveredUntil}}.',
            'Renewal for {{monthsText}}: {{amount}}. Please pay by {{deadline}} so that cover is not interrupted.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Household HI cards {{maskedCode}} ({{membersText}}) expire {{coveredUntil}}. Renew {{monthsText}}: {{amount}}, pay by then. Call {{contact}}.{{stopNote}}',
      },
      'last-call': {
        email: {
          subject: '{{daysLeftText}} left: household health insurance cards expire {{coveredUntil}}',
          body: [
            'Dear {{name}} (head of household {{maskedCode}}),',
            '',
            'In {{daysLeftText}} the health insurance cards of the household ({{membersText}}) expire. Renewal for {{monthsText}}: {{amount}}.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'HI cards {{maskedCode}} ({{membersText}}) expire in {{daysLeftText}}. Renew {{monthsText}}: {{amount}} by {{deadline}}. Call {{contact}}.{{stopNote}}',
      },
      lapsed: {
        email: {
          subject: 'Household health insurance cards expired on {{lapsedOn}}',
          body: [
            'Dear {{name}} (head of household {{maskedCode}}),',
            '',
            'The health insurance cards of the household ({{membersText}}) have expired; from {{lapsedOn}} the household has no cover.',
            'Please renew ({{monthsText}}: {{amount}}) by {{deadline}}; after that your collection agent will visit you.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Household HI cards {{maskedCode}} ({{membersText}}) expired {{lapsedOn}}. Renew: {{amount}} by {{deadline}}. Call {{contact}}.{{stopNote}}',
      },
      'lapsed-final': {
        email: {
          subject: 'Last reminder: household health insurance not renewed',
          body: [
            'Dear {{name}} (head of household {{maskedCode}}),',
            '',
            'The household health insurance cards expired on {{lapsedOn}}. Your collection agent {{agentName}} will contact you after {{deadline}}.',
            'Renewal for {{monthsText}}: {{amount}}.',
            HI_EMAIL_FOOTER,
          ].join('\n'),
        },
        sms: 'Last reminder: HI cards {{maskedCode}} expired. Renew: {{amount}} by {{deadline}}; then {{contact}} will visit.{{stopNote}}',
      },
    },
  },
  employeeNotice: {
    sms: 'BHXH: {{unit}} has not paid your insurance for {{monthsText}}{{months}}: SI {{si}}, HI {{hi}}, UI {{ui}}. Report: {{hotline}}',
    email: {
      subject: '{{unitName}} has not paid your social, health and unemployment insurance',
      body: [
        'Dear {{name}} (SI number {{maskedCode}}),',
        '',
        'According to the social security office\'s records as of {{asOf}}, your employer {{unitName}} (unit code {{unitCode}}) has not paid your SI, HI and UI contributions in full for {{monthsText}}:',
        '{{monthLines}}',
        'In all: SI {{si}}, HI {{hi}}, UI {{ui}}; total {{total}}.',
        '',
        'The amounts are the employer\'s share and the share withheld from your wage, on the contribution wage your employer declared. The office is following the arrears up with your employer.',
        'If anything here is wrong, or to report a problem, please call the hotline {{hotline}} ({{officeName}}).',
        'To stop receiving these notices, please tell the hotline {{hotline}}.',
      ].join('\n'),
    },
    employer: {
      subject: 'Your employees have been told of the unpaid contributions – unit {{unitCode}}',
      body: [
        'To: {{unitName}} (unit code {{unitCode}})',
        '',
        'Under employees\' right to be informed of their contributions, on {{asOf}} the social security office told {{informedText}} of your unit that the unit has not paid SI, HI and UI for {{months}}.',
        '',
        'Please pay the arrears in full. To discuss them, contact {{officeName}}, phone {{officePhone}}.',
        'If you have already paid, please disregard this message.',
      ].join('\n'),
    },
  },
};
