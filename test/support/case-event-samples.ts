import type { NewCaseEvent } from '../../functions/core/case-events.ts';

export const base = { unitCode: 'TA000001', cycle: '2026-11', at: '2026-11-02T02:00:00.000Z', actor: 'system' };
export const visit = { taskId: 'TA000001-2026-11-visit', taskType: 'visit' as const, escalated: false };
export const assessment = { stage: 'officer-visit' as const, anchorPeriod: '2026-09', monthsOverdue: 2, debt: 20_000_000, asOf: '2026-11-02', policy: '2026-07', missedInstalment: null };

/** One event of every kind, as the steps record them. */
export const SAMPLES: NewCaseEvent[] = [
  { ...base, kind: 'assessed', detail: { phase: 'start', ...assessment } },
  { ...base, kind: 'referred-to-inspection', detail: { ...assessment, stage: 'inspection' } },
  { ...base, kind: 'paused', detail: { phase: 'start', by: 'hold', reason: 'dispute', until: '2026-12-02', nextDueDate: null, monthsOverdue: 2, debt: 1 } },
  { ...base, kind: 'notice-sent', detail: { channel: 'email', stage: 'urging-notice', debt: 1, interest: 0, payBy: '2026-11-17', messageId: 'm', contentSha256: 'a'.repeat(64), missedInstalment: { kind: 'promise', instalment: 1, dueDate: '2026-10-20' } } },
  { ...base, kind: 'officer-assigned', detail: { ...visit, role: 'collector', officerId: 'cb.a', continuity: true, dueDate: '2026-11-12', escalatedFrom: null } },
  { ...base, kind: 'no-officer-available', detail: { taskType: 'visit', escalated: false, role: 'collector', district: 'Nho Quan' } },
  { ...base, kind: 'task-opened', detail: { ...visit, officerId: 'cb.a', dueDate: '2026-11-12' } },
  { ...base, kind: 'task-acknowledged', actor: 'cb.a', detail: visit },
  { ...base, kind: 'task-reassigned', actor: 'tl.d', detail: { ...visit, from: 'cb.a', to: 'cb.b', reassignment: 1 } },
  { ...base, kind: 'outcome-recorded', actor: 'cb.a', detail: { ...visit, outcome: 'contacted', hasNote: true } },
  { ...base, kind: 'contact-attempted', actor: 'cb.a', detail: { ...visit, attemptId: 'attempt-0001', on: '2026-11-02', channel: 'phone', result: 'no-answer', hasPersonMet: false, hasNote: true } },
  { ...base, kind: 'task-timed-out', detail: { ...visit, officerId: 'cb.a', escalating: true } },
  { ...base, kind: 'task-closed-by-payment', actor: 'import:bank-file', detail: { ...visit, officerId: 'cb.a', reference: 'BANK-1' } },
  { ...base, kind: 'referral-pack-built', detail: { taskId: 'TA000001-2026-11-inspection', taskType: 'inspection', escalated: false, inspectorId: 'tt.c', sha256: 'c'.repeat(64), asOf: '2026-11-02' } },
  { ...base, kind: 'payment-recorded', actor: 'cb.a', detail: { reference: 'BANK-1', paidOn: '2026-11-02', amount: 5, debtAfter: 0 } },
  { ...base, kind: 'payment-reversed', actor: 'import:payments.csv', detail: { reference: 'BANK-1', paidOn: '2026-11-02', amount: 5, debtAfter: 5, source: 'payments.csv', line: 2 } },
  { ...base, kind: 'arrangement-agreed', actor: 'cb.a', detail: { ...visit, arrangement: 'plan', agreedOn: '2026-11-02', instalments: 2, total: 10, firstDue: '2026-11-20', lastDue: '2026-12-20' } },
  { ...base, kind: 'hold-set', actor: 'tl.d', detail: { reason: 'force-majeure', until: '2026-11-30', hasNote: true, taskId: null } },
  { ...base, kind: 'hold-cleared', actor: 'tl.d', detail: {} },
  { ...base, kind: 'case-closed', detail: { reason: 'debt-cleared', stage: 'officer-visit' } },
  { ...base, kind: 'step-failed', detail: { error: 'MessageRejected' } },
  { ...base, kind: 'pre-disclosure-notice-sent', actor: 'system:disclosure-run', detail: { channel: 'email', sentOn: '2026-11-10', payBy: '2026-11-25', monthsOverdue: 4, debt: 9, messageId: 'm', contentSha256: 'b'.repeat(64) } },
  { ...base, kind: 'pre-disclosure-lapsed', actor: 'system:disclosure-run', detail: { on: '2026-12-10' } },
  { ...base, kind: 'disclosure-published', actor: 'system:disclosure-run', detail: { date: '2026-12-10', key: 'disclosure/2026-12-10/list.csv', monthsOverdue: 4, debt: 9 } },
];

